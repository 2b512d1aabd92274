import { activateInPlace } from './activation.kernel.js';
import { affine, BLOCK_KEYS, packRows, range } from './affine.kernel.js';
import type { CellActivation, SimpleRnnLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';

/** SimpleRNN cell: h' = act(x·W + h·R + b). State per key: h. */
export class SimpleRnnCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  private readonly rows: Float32Array;
  private readonly bias: Float32Array;

  constructor(
    private readonly spec: SimpleRnnLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.stateSizes = [U];
    this.rows = packRows(
      range(0, U),
      { values: weights.kernel, rows: inputSize, cols: U },
      { values: weights.recurrentKernel, rows: U, cols: U },
    );
    this.bias = biasOrZeros(weights.bias, U);
  }

  createKernel(): StepKernel {
    return new SimpleRnnKernel(
      this.rows,
      this.bias,
      this.inputSize,
      this.spec.units,
      this.spec.activation,
    );
  }
}

class SimpleRnnKernel implements StepKernel {
  private readonly K: number;
  private readonly xh: Float32Array;
  private readonly pre: Float32Array;

  constructor(
    private readonly rows: Float32Array,
    private readonly bias: Float32Array,
    private readonly I: number,
    private readonly U: number,
    private readonly activation: CellActivation,
  ) {
    this.K = I + U;
    this.xh = new Float32Array(BLOCK_KEYS * this.K);
    this.pre = new Float32Array(BLOCK_KEYS * U);
  }

  step(
    n: number,
    input: Float32Array,
    i: number,
    is: number,
    state: Float32Array,
    s: number,
    ss: number,
  ): void {
    const { I, U, K, xh, pre } = this;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, xh, m * K, I);
      copyFloats(state, s + m * ss, xh, m * K + I, U);
    }
    affine(this.rows, this.bias, K, U, n, xh, 0, K, pre, 0, U);
    activateInPlace(pre, 0, n * U, this.activation);
    for (let m = 0; m < n; m++) copyFloats(pre, m * U, state, s + m * ss, U);
  }
}
