import { activateHeadInPlace } from './activation.kernel.js';
import { affine, packRows, range } from './affine.kernel.js';
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
   * Writes the outputs of `n` keys (1..BLOCK_KEYS): key m reads h at `input[i + m·is …]` and
   * writes `out[o + m·os …]`.
   */
  apply(
    n: number,
    input: Float32Array,
    i: number,
    is: number,
    out: Float32Array,
    o: number,
    os: number,
  ): void {
    const { units: O, activation } = this.spec;
    affine(this.rows, this.bias, this.inputSize, O, n, input, i, is, out, o, os);
    for (let m = 0; m < n; m++) activateHeadInPlace(out, o + m * os, o + m * os + O, activation);
  }
}
