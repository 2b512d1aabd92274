import { activateInPlace } from './activation.kernel.js';
import { affine1, affine2, packRows, range } from './affine.kernel.js';
import type { CellActivation, GruLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';

/**
 * GRU cell, gates z, r, h (tfjs-layers/Keras). Both variants:
 * - resetAfter false (tfjs): hh = act(x·Wh + bh + (r⊙h)·Rh)
 * - resetAfter true (Keras default): hh = act(x·Wh + b0h + r⊙(h·Rh + b1h))
 * then h' = z⊙h + (1 − z)⊙hh, with z, r = σ(x·W + h·R + b). State per key: h.
 */
export class GruCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  /** Rows for z and r over [x; h]. */
  private readonly zrRows: Float32Array;
  private readonly zrBias: Float32Array;
  /** resetAfter false: rows for hh over [x; r⊙h]. resetAfter true: rows over x only. */
  private readonly hRows: Float32Array;
  private readonly hBias: Float32Array;
  /** resetAfter true only: rows for the recurrent part of hh over h, and its bias. */
  private readonly rhRows: Float32Array;
  private readonly rhBias: Float32Array;

  constructor(
    private readonly spec: GruLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.stateSizes = [U];
    const kernel = { values: weights.kernel, rows: inputSize, cols: 3 * U };
    const recurrent = { values: weights.recurrentKernel, rows: U, cols: 3 * U };
    const bias = biasOrZeros(weights.bias, (spec.resetAfter ? 6 : 3) * U);
    this.zrRows = packRows(range(0, 2 * U), kernel, recurrent);
    if (spec.resetAfter) {
      // bias [2 × 3U]: row 0 goes with the input matmul, row 1 with the recurrent one.
      this.zrBias = bias.slice(0, 2 * U).map((b, j) => b + bias[3 * U + j]);
      this.hRows = packRows(range(2 * U, 3 * U), kernel, null);
      this.hBias = bias.slice(2 * U, 3 * U);
      this.rhRows = packRows(range(2 * U, 3 * U), null, recurrent);
      this.rhBias = bias.slice(5 * U, 6 * U);
    } else {
      this.zrBias = bias.slice(0, 2 * U);
      this.hRows = packRows(range(2 * U, 3 * U), kernel, recurrent);
      this.hBias = bias.slice(2 * U, 3 * U);
      this.rhRows = new Float32Array(0);
      this.rhBias = new Float32Array(0);
    }
  }

  createKernel(): StepKernel {
    const { spec, inputSize } = this;
    const shape = { I: inputSize, U: spec.units };
    const activations = { act: spec.activation, rec: spec.recurrentActivation };
    if (spec.resetAfter) {
      return new GruResetAfterKernel(this.zrRows, this.zrBias, this.hRows, this.hBias, {
        rhRows: this.rhRows,
        rhBias: this.rhBias,
        ...shape,
        ...activations,
      });
    }
    return new GruKernel(this.zrRows, this.zrBias, this.hRows, this.hBias, {
      ...shape,
      ...activations,
    });
  }
}

interface GruShape {
  readonly I: number;
  readonly U: number;
  readonly act: CellActivation;
  readonly rec: CellActivation;
}

/** Blends the candidate into the state: h' = z⊙h + (1 − z)⊙hh, hh at hh[o…], z at zr[g…]. */
function blend(
  U: number,
  zr: Float32Array,
  g: number,
  hh: Float32Array,
  o: number,
  state: Float32Array,
  s: number,
): void {
  for (let j = 0; j < U; j++) {
    const z = zr[g + j];
    state[s + j] = z * state[s + j] + (1 - z) * hh[o + j];
  }
}

/** resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. */
class GruKernel implements StepKernel {
  private readonly K: number;
  private readonly xh: Float32Array;
  private readonly zr: Float32Array;
  private readonly hh: Float32Array;

  constructor(
    private readonly zrRows: Float32Array,
    private readonly zrBias: Float32Array,
    private readonly hRows: Float32Array,
    private readonly hBias: Float32Array,
    private readonly shape: GruShape,
  ) {
    this.K = shape.I + shape.U;
    this.xh = new Float32Array(2 * this.K);
    this.zr = new Float32Array(4 * shape.U);
    this.hh = new Float32Array(2 * shape.U);
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
    const { K, xh, zr, hh } = this;
    const { I, U, rec, act } = this.shape;
    copyFloats(input, ia, xh, 0, I);
    copyFloats(state, sa, xh, I, U);
    if (n === 2) {
      copyFloats(input, ib, xh, K, I);
      copyFloats(state, sb, xh, K + I, U);
      affine2(this.zrRows, this.zrBias, K, 2 * U, xh, 0, K, zr, 0, 2 * U);
      activateInPlace(zr, 0, 4 * U, rec);
      for (let j = 0; j < U; j++) xh[I + j] *= zr[U + j];
      for (let j = 0; j < U; j++) xh[K + I + j] *= zr[3 * U + j];
      affine2(this.hRows, this.hBias, K, U, xh, 0, K, hh, 0, U);
      activateInPlace(hh, 0, 2 * U, act);
      blend(U, zr, 2 * U, hh, U, state, sb);
    } else {
      affine1(this.zrRows, this.zrBias, K, 2 * U, xh, 0, zr, 0);
      activateInPlace(zr, 0, 2 * U, rec);
      for (let j = 0; j < U; j++) xh[I + j] *= zr[U + j];
      affine1(this.hRows, this.hBias, K, U, xh, 0, hh, 0);
      activateInPlace(hh, 0, U, act);
    }
    blend(U, zr, 0, hh, 0, state, sa);
  }
}

interface ResetAfterRows extends GruShape {
  readonly rhRows: Float32Array;
  readonly rhBias: Float32Array;
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel implements StepKernel {
  private readonly K: number;
  private readonly xh: Float32Array;
  private readonly zr: Float32Array;
  private readonly hh: Float32Array;
  private readonly rh: Float32Array;

  constructor(
    private readonly zrRows: Float32Array,
    private readonly zrBias: Float32Array,
    private readonly hRows: Float32Array,
    private readonly hBias: Float32Array,
    private readonly shape: ResetAfterRows,
  ) {
    this.K = shape.I + shape.U;
    this.xh = new Float32Array(2 * this.K);
    this.zr = new Float32Array(4 * shape.U);
    this.hh = new Float32Array(2 * shape.U);
    this.rh = new Float32Array(2 * shape.U);
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
    const { K, xh, zr, hh, rh } = this;
    const { I, U, rec, rhRows, rhBias } = this.shape;
    copyFloats(input, ia, xh, 0, I);
    copyFloats(state, sa, xh, I, U);
    if (n === 2) {
      copyFloats(input, ib, xh, K, I);
      copyFloats(state, sb, xh, K + I, U);
      affine2(this.zrRows, this.zrBias, K, 2 * U, xh, 0, K, zr, 0, 2 * U);
      affine2(this.hRows, this.hBias, I, U, xh, 0, K, hh, 0, U);
      affine2(rhRows, rhBias, U, U, xh, I, K + I, rh, 0, U);
      activateInPlace(zr, 0, 4 * U, rec);
      this.candidate(2 * U, U);
      blend(U, zr, 2 * U, hh, U, state, sb);
    } else {
      affine1(this.zrRows, this.zrBias, K, 2 * U, xh, 0, zr, 0);
      affine1(this.hRows, this.hBias, I, U, xh, 0, hh, 0);
      affine1(rhRows, rhBias, U, U, xh, I, rh, 0);
      activateInPlace(zr, 0, 2 * U, rec);
    }
    this.candidate(0, 0);
    blend(U, zr, 0, hh, 0, state, sa);
  }

  /** hh = act(x·Wh + b0h + r⊙(h·Rh + b1h)) for the key whose gates start at zr[g], hh at o. */
  private candidate(g: number, o: number): void {
    const { U, act } = this.shape;
    const { zr, hh, rh } = this;
    for (let j = 0; j < U; j++) hh[o + j] += zr[g + U + j] * rh[o + j];
    activateInPlace(hh, o, o + U, act);
  }
}
