import { activateInPlace } from './activation.kernel.js';
import { affine1, affine2, packRows, range } from './affine.kernel.js';
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
    this.xh = new Float32Array(2 * this.K);
    this.pre = new Float32Array(2 * U);
  }

  step(
    n: number,
    input: Float32Array,
    ia: number,
    ib: number,
    state: Float32Array,
    sa: number,
    sb: number,
  ): void {
    const { I, U, K, xh, pre } = this;
    copyFloats(input, ia, xh, 0, I);
    copyFloats(state, sa, xh, I, U);
    if (n === 2) {
      copyFloats(input, ib, xh, K, I);
      copyFloats(state, sb, xh, K + I, U);
      affine2(this.rows, this.bias, K, U, xh, 0, K, pre, 0, U);
      activateInPlace(pre, 0, 2 * U, this.activation);
      copyFloats(pre, U, state, sb, U);
    } else {
      affine1(this.rows, this.bias, K, U, xh, 0, pre, 0);
      activateInPlace(pre, 0, U, this.activation);
    }
    copyFloats(pre, 0, state, sa, U);
  }
}
