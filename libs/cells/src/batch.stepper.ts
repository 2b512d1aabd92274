import { PAIR, type RecurrentCell, type StepKernel } from './cell.js';
import { StepError } from './cells.error.js';
import type { DenseHead, DenseHeadKernel } from './dense.head.js';
import { GemvArena } from './gemv.arena.js';
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
 * Advances batches of up to `maxBatch` independent keys by one step. Holds its weights and
 * preallocated workspaces in its own WebAssembly memory: a step allocates nothing. Not
 * reentrant; use one stepper per concurrent caller.
 */
export class BatchStepper {
  private readonly arena = new GemvArena();
  private readonly kernels: StepKernel[];
  private readonly head: DenseHeadKernel | null;
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
    this.kernels = plan.cells.map((cell) => cell.createKernel(this.arena));
    this.head = plan.head && plan.head.createKernel(this.arena);
    this.normalized = new Float32Array(PAIR * plan.inputSize);
  }

  /**
   * Advances `batchSize` keys by one step.
   * @param inputs `batchSize × I` floats, row-major (raw features; normalization is applied here).
   * @param states `batchSize × floatsPerKey` floats, each key's vectors packed as in the model's
   *   `stateLayout`; updated in place.
   * @param outputs receives `batchSize × O` floats, row-major.
   * Keys are independent: each key's result does not depend on the batch it is stepped in, to
   * the bit.
   * @throws StepError when a buffer is too small or batchSize is outside 0..maxBatch.
   */
  step(inputs: Float32Array, states: Float32Array, batchSize: number, outputs: Float32Array): void {
    this.checkBuffers(inputs, states, batchSize, outputs);
    for (let b = 0; b < batchSize; b += PAIR) {
      this.stepKeys(Math.min(PAIR, batchSize - b), b, inputs, states, outputs);
    }
  }

  /** Advances keys b … b+n-1 (n ≤ 2) through every layer and the head. */
  private stepKeys(
    n: number,
    b: number,
    inputs: Float32Array,
    states: Float32Array,
    outputs: Float32Array,
  ): void {
    const { inputSize: I, floatsPerKey: S, outputSize: O, hOffsets, normalization } = this.plan;
    let input = inputs;
    let i = b * I;
    let is = I;
    if (normalization) {
      const { mean, std } = normalization;
      for (let k = 0; k < n * I; k++)
        this.normalized[k] = (inputs[i + k] - mean[k % I]) / std[k % I];
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
    if (this.head) {
      this.head.apply(n, states, i, S, outputs, b * O);
    } else {
      for (let m = 0; m < n; m++) {
        for (let j = 0; j < O; j++) outputs[(b + m) * O + j] = states[i + m * S + j];
      }
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
