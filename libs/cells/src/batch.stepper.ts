import { copyFloats, PAIR, type RecurrentCell, type StepKernel } from './cell.js';
import { StepError } from './cells.errors.js';
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
 * Advances batches of up to `maxBatch` independent keys by one step. Holds its weights, batch
 * buffers and workspaces in its own WebAssembly memory, sized at creation; a step allocates
 * nothing per key. Not reentrant; use one stepper per concurrent caller.
 */
export class BatchStepper {
  private readonly arena = new GemvArena();
  private readonly kernels: StepKernel[];
  private readonly head: DenseHeadKernel | null;
  /** Arena offsets of the batch: inputs, normalized inputs of two keys, states, outputs. */
  private readonly inputsAt: number;
  private readonly normalizedAt: number;
  private readonly statesAt: number;
  private readonly outputsAt: number;
  /** Views of the arena's batch states and outputs, for the bulk copies out. */
  private readonly statesView: Float32Array;
  private readonly outputsView: Float32Array;

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
    const { arena } = this;
    const { inputSize: I, floatsPerKey: S, outputSize: O } = plan;
    this.kernels = plan.cells.map((cell) => cell.createKernel(arena));
    this.head = plan.head && plan.head.createKernel(arena);
    this.inputsAt = arena.alloc(maxBatch * I);
    this.normalizedAt = arena.alloc(PAIR * I);
    // + 4: the fused LSTM update may read (never write) up to 3 floats past a key's c.
    this.statesAt = arena.alloc(maxBatch * S + 4);
    this.outputsAt = arena.alloc(maxBatch * O);
    // The memory does not grow after this point, so these views stay valid.
    this.statesView = arena.heap.subarray(this.statesAt, this.statesAt + maxBatch * S);
    this.outputsView = arena.heap.subarray(this.outputsAt, this.outputsAt + maxBatch * O);
  }

  /**
   * Advances `batchSize` keys by one step.
   * @param inputs `batchSize × I` floats, row-major (raw features; normalization is applied here).
   * @param states `batchSize × floatsPerKey` floats, each key's vectors packed as in the model's
   *   `stateLayout`; updated in place.
   * @param outputs receives `batchSize × O` floats, row-major.
   * The batch is copied into the stepper's WebAssembly memory and back in bulk; a call creates
   * at most a few typed-array views (none when the buffers are exactly batch-sized) and nothing
   * per key. Keys are independent: each key's result does not depend on the batch it is stepped
   * in, to the bit.
   * @throws StepError when a buffer is too small or batchSize is outside 0..maxBatch.
   */
  step(inputs: Float32Array, states: Float32Array, batchSize: number, outputs: Float32Array): void {
    this.checkBuffers(inputs, states, batchSize, outputs);
    const { inputSize: I, floatsPerKey: S, outputSize: O } = this.plan;
    const heap = this.arena.heap;
    heap.set(exactly(inputs, batchSize * I), this.inputsAt);
    heap.set(exactly(states, batchSize * S), this.statesAt);
    for (let b = 0; b < batchSize; b += PAIR) this.stepKeys(Math.min(PAIR, batchSize - b), b);
    states.set(exactly(this.statesView, batchSize * S));
    outputs.set(exactly(this.outputsView, batchSize * O));
  }

  /** Advances keys b … b+n-1 (n ≤ 2) through every layer and the head, in the arena. */
  private stepKeys(n: number, b: number): void {
    const { inputSize: I, floatsPerKey: S, outputSize: O, hOffsets, normalization } = this.plan;
    const heap = this.arena.heap;
    let i = this.inputsAt + b * I;
    let is = I;
    if (normalization) {
      const { mean, std } = normalization;
      const to = this.normalizedAt;
      for (let k = 0; k < n * I; k++) heap[to + k] = (heap[i + k] - mean[k % I]) / std[k % I];
      i = to;
    }
    const kernels = this.kernels;
    const states = this.statesAt + b * S;
    for (let l = 0; l < kernels.length; l++) {
      // A layer's state starts with its h, which is also the next layer's input.
      const s = states + hOffsets[l];
      kernels[l].step(n, i, is, s, S);
      i = s;
      is = S;
    }
    const o = this.outputsAt + b * O;
    if (this.head) {
      this.head.apply(n, i, S, o);
    } else {
      for (let m = 0; m < n; m++) copyFloats(heap, i + m * S, heap, o + m * O, O);
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

/** The first `length` floats of `values`, without a new view when that is all of it. */
function exactly(values: Float32Array, length: number): Float32Array {
  return values.length === length ? values : values.subarray(0, length);
}
