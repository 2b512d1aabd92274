import { BLOCK_KEYS } from './affine.kernel.js';
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
  /** Normalized inputs of a block of keys. */
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
    this.normalized = new Float32Array(BLOCK_KEYS * plan.inputSize);
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
    for (let b = 0; b < batchSize; b += BLOCK_KEYS) {
      this.stepBlock(Math.min(BLOCK_KEYS, batchSize - b), b, inputs, states, outputs);
    }
  }

  /** Advances keys b..b+n-1 through every layer and the head. */
  private stepBlock(
    n: number,
    b: number,
    inputs: Float32Array,
    states: Float32Array,
    outputs: Float32Array,
  ): void {
    const { inputSize: I, floatsPerKey: S, outputSize: O, hOffsets, head } = this.plan;
    let input = inputs;
    let i = b * I;
    let is = I;
    if (this.plan.normalization) {
      this.normalize(n, inputs, i, this.plan.normalization);
      input = this.normalized;
      i = 0;
    }
    const kernels = this.kernels;
    for (let l = 0; l < kernels.length; l++) {
      // A layer's state starts with its h, which is also the next layer's input.
      const s = b * S + hOffsets[l];
      kernels[l].step(n, input, i, is, states, s, S);
      input = states;
      i = s;
      is = S;
    }
    if (head) {
      head.apply(n, states, i, S, outputs, b * O, O);
    } else {
      for (let m = 0; m < n; m++) {
        for (let j = 0; j < O; j++) outputs[(b + m) * O + j] = states[i + m * S + j];
      }
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
