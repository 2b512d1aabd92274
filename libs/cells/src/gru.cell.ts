import { activateInPlace } from './activation.kernel.js';
import { affine, BLOCK_KEYS, packRows, range } from './affine.kernel.js';
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

/** Workspaces shared by both variants, sized for a block of keys. */
abstract class GruKernelBase {
  protected readonly K: number;
  /** [x; h] per key, K floats each. */
  protected readonly xh: Float32Array;
  /** z then r per key, 2U floats each. */
  protected readonly zr: Float32Array;
  /** Candidate per key, U floats each. */
  protected readonly hh: Float32Array;

  constructor(protected readonly shape: GruShape) {
    this.K = shape.I + shape.U;
    this.xh = new Float32Array(BLOCK_KEYS * this.K);
    this.zr = new Float32Array(BLOCK_KEYS * 2 * shape.U);
    this.hh = new Float32Array(BLOCK_KEYS * shape.U);
  }

  protected load(
    n: number,
    input: Float32Array,
    i: number,
    is: number,
    state: Float32Array,
    s: number,
    ss: number,
  ): void {
    const { K, xh } = this;
    const { I, U } = this.shape;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, xh, m * K, I);
      copyFloats(state, s + m * ss, xh, m * K + I, U);
    }
  }

  protected blendAll(n: number, state: Float32Array, s: number, ss: number): void {
    const U = this.shape.U;
    for (let m = 0; m < n; m++) blend(U, this.zr, m * 2 * U, this.hh, m * U, state, s + m * ss);
  }
}

/** resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. */
class GruKernel extends GruKernelBase implements StepKernel {
  constructor(
    private readonly zrRows: Float32Array,
    private readonly zrBias: Float32Array,
    private readonly hRows: Float32Array,
    private readonly hBias: Float32Array,
    shape: GruShape,
  ) {
    super(shape);
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
    const { K, xh, zr, hh } = this;
    const { I, U, rec, act } = this.shape;
    this.load(n, input, i, is, state, s, ss);
    affine(this.zrRows, this.zrBias, K, 2 * U, n, xh, 0, K, zr, 0, 2 * U);
    activateInPlace(zr, 0, n * 2 * U, rec);
    for (let m = 0; m < n; m++) {
      for (let j = 0; j < U; j++) xh[m * K + I + j] *= zr[m * 2 * U + U + j];
    }
    affine(this.hRows, this.hBias, K, U, n, xh, 0, K, hh, 0, U);
    activateInPlace(hh, 0, n * U, act);
    this.blendAll(n, state, s, ss);
  }
}

interface ResetAfterShape extends GruShape {
  readonly rhRows: Float32Array;
  readonly rhBias: Float32Array;
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel extends GruKernelBase implements StepKernel {
  /** h·Rh + b1h per key, U floats each. */
  private readonly rh: Float32Array;

  constructor(
    private readonly zrRows: Float32Array,
    private readonly zrBias: Float32Array,
    private readonly hRows: Float32Array,
    private readonly hBias: Float32Array,
    private readonly rows: ResetAfterShape,
  ) {
    super(rows);
    this.rh = new Float32Array(BLOCK_KEYS * rows.U);
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
    const { K, xh, zr, hh, rh } = this;
    const { I, U, rec, act, rhRows, rhBias } = this.rows;
    this.load(n, input, i, is, state, s, ss);
    affine(this.zrRows, this.zrBias, K, 2 * U, n, xh, 0, K, zr, 0, 2 * U);
    affine(this.hRows, this.hBias, I, U, n, xh, 0, K, hh, 0, U);
    affine(rhRows, rhBias, U, U, n, xh, I, K, rh, 0, U);
    activateInPlace(zr, 0, n * 2 * U, rec);
    for (let m = 0; m < n; m++) {
      for (let j = 0; j < U; j++) hh[m * U + j] += zr[m * 2 * U + U + j] * rh[m * U + j];
    }
    activateInPlace(hh, 0, n * U, act);
    this.blendAll(n, state, s, ss);
  }
}
