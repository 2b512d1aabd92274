import type { RecurrentCell, StepKernel } from './cell.js';
import { StepError } from './cells.error.js';
import type { DenseHead } from './dense.head.js';
import type { InputNormalization } from './normalization.js';

/** What a stepper needs from a model; built by RecurrentModel. */
export interface StepPlan {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly floatsPerKey: number;
  readonly cells: readonly RecurrentCell[];
  /** Offset of each layer's h inside a key's packed state. */
  readonly hOffsets: readonly number[];
  readonly head: DenseHead | null;
  readonly normalization: InputNormalization | null;
}

/**
 * Advances batches of up to `maxBatch` independent keys by one step. Holds preallocated
 * workspaces: a step allocates nothing. Not reentrant; use one stepper per concurrent caller.
 */
export class BatchStepper {
  private readonly kernels: StepKernel[];
  /** Normalized inputs of two keys. */
  private readonly normalized: Float32Array;

  constructor(
    private readonly plan: StepPlan,
    /** Largest `batchSize` accepted by {@link step}. */
    readonly maxBatch: number,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new StepError(
        'STEP_BATCH_SIZE',
        `maxBatch must be a positive integer, got ${maxBatch}`,
      );
    }
    this.kernels = plan.cells.map((cell) => cell.createKernel());
    this.normalized = new Float32Array(2 * plan.inputSize);
  }

  /**
   * Advances `batchSize` keys by one step.
   * @param inputs `batchSize × I` floats, row-major (raw features; normalization is applied here).
   * @param states `batchSize × floatsPerKey` floats, each key's vectors packed as in the model's
   *   `stateLayout`; updated in place.
   * @param outputs receives `batchSize × O` floats, row-major.
   * Each key's result does not depend on the batch it is stepped in, to the bit.
   * @throws StepError when a buffer is too small or batchSize is outside 0..maxBatch.
   */
  step(inputs: Float32Array, states: Float32Array, batchSize: number, outputs: Float32Array): void {
    this.checkBuffers(inputs, states, batchSize, outputs);
    let b = 0;
    for (; b + 1 < batchSize; b += 2) this.stepKeys(2, b, inputs, states, outputs);
    if (b < batchSize) this.stepKeys(1, b, inputs, states, outputs);
  }

  private stepKeys(
    n: number,
    b: number,
    inputs: Float32Array,
    states: Float32Array,
    outputs: Float32Array,
  ): void {
    const { inputSize: I, floatsPerKey: S, outputSize: O, hOffsets, head } = this.plan;
    const sa = b * S;
    const sb = sa + S;
    let input = inputs;
    let ia = b * I;
    let ib = ia + I;
    if (this.plan.normalization) {
      this.normalize(n, inputs, ia, this.plan.normalization);
      input = this.normalized;
      ia = 0;
      ib = I;
    }
    const kernels = this.kernels;
    for (let l = 0; l < kernels.length; l++) {
      // A layer's state starts with its h, which is also the next layer's input.
      const la = sa + hOffsets[l];
      const lb = sb + hOffsets[l];
      kernels[l].step(n, input, ia, ib, states, la, lb);
      input = states;
      ia = la;
      ib = lb;
    }
    if (head) {
      head.apply(n, states, ia, ib, outputs, b * O, (b + 1) * O);
    } else {
      for (let j = 0; j < O; j++) outputs[b * O + j] = states[ia + j];
      if (n === 2) for (let j = 0; j < O; j++) outputs[(b + 1) * O + j] = states[ib + j];
    }
  }

  private normalize(n: number, inputs: Float32Array, from: number, norm: InputNormalization): void {
    const { mean, std } = norm;
    const I = this.plan.inputSize;
    for (let k = 0; k < n * I; k++) {
      const f = k % I;
      this.normalized[k] = (inputs[from + k] - mean[f]) / std[f];
    }
  }

  private checkBuffers(
    inputs: Float32Array,
    states: Float32Array,
    batchSize: number,
    outputs: Float32Array,
  ): void {
    const { inputSize, floatsPerKey, outputSize } = this.plan;
    if (!Number.isInteger(batchSize) || batchSize < 0 || batchSize > this.maxBatch) {
      throw new StepError(
        'STEP_BATCH_SIZE',
        `batchSize ${batchSize} is outside 0..${this.maxBatch}; create a stepper with a larger maxBatch`,
      );
    }
    requireFloats('inputs', inputs, batchSize, inputSize);
    requireFloats('states', states, batchSize, floatsPerKey);
    requireFloats('outputs', outputs, batchSize, outputSize);
  }
}

function requireFloats(name: string, buffer: Float32Array, keys: number, perKey: number): void {
  if (buffer.length < keys * perKey) {
    throw new StepError(
      'STEP_BUFFER_SIZE',
      `${name} holds ${buffer.length} floats, needs ${keys} keys × ${perKey}`,
    );
  }
}
