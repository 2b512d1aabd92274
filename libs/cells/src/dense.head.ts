import { activateHeadInPlace } from './activation.kernel.js';
import { affine1, affine2, packRows, range } from './affine.kernel.js';
import type { DenseHeadSpec } from './architecture.js';
import { biasOrZeros } from './cell.js';

/** Weights of the Dense head, Keras layout: `kernel [U × O]`, `bias [O]` or null. */
export interface DenseWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array | null;
}

/** Dense head on the top layer's h: out = act(h·W + b). Stateless, so shareable. */
export class DenseHead {
  private readonly rows: Float32Array;
  private readonly bias: Float32Array;

  constructor(
    private readonly spec: DenseHeadSpec,
    private readonly inputSize: number,
    weights: DenseWeights,
  ) {
    this.rows = packRows(
      range(0, spec.units),
      { values: weights.kernel, rows: inputSize, cols: spec.units },
      null,
    );
    this.bias = biasOrZeros(weights.bias, spec.units);
  }

  /**
   * Writes the outputs of `n` keys (1 or 2): key a reads h at `input[ia…]` and writes
   * `out[oa…]`, key b likewise at `ib`/`ob`.
   */
  apply(
    n: number,
    input: Float32Array,
    ia: number,
    ib: number,
    out: Float32Array,
    oa: number,
    ob: number,
  ): void {
    const { units: O, activation } = this.spec;
    if (n === 2) {
      affine2(this.rows, this.bias, this.inputSize, O, input, ia, ib, out, oa, ob);
      activateHeadInPlace(out, ob, ob + O, activation);
    } else {
      affine1(this.rows, this.bias, this.inputSize, O, input, ia, out, oa);
    }
    activateHeadInPlace(out, oa, oa + O, activation);
  }
}
