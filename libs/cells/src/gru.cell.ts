import type { CellActivation, GruLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/**
 * GRU cell, gates z, r, h (tfjs-layers/Keras). Both variants:
 * - resetAfter false (tfjs): hh = act(x·Wh + bh + (r⊙h)·Rh)
 * - resetAfter true (Keras default): hh = act(x·Wh + b0h + r⊙(h·Rh + b1h))
 * then h' = z⊙h + (1 − z)⊙hh, with z, r = σ(x·W + h·R + b). State per key: h.
 */
export class GruCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  /** z and r over [x; h]. */
  private readonly zr: PackedMatrix;
  /** resetAfter false: candidate over [x; r⊙h]. resetAfter true: its input part, over x. */
  private readonly candidate: PackedMatrix;
  /** resetAfter true only: the recurrent part of the candidate, over h. */
  private readonly recurrentCandidate: PackedMatrix | null;

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
    if (spec.resetAfter) {
      // bias [2 × 3U]: row 0 goes with the input matmul, row 1 with the recurrent one.
      const inputBias = bias.subarray(0, 3 * U);
      const recurrentBias = bias.subarray(3 * U, 6 * U);
      const zrBias = inputBias.map((b, j) => b + recurrentBias[j]);
      this.zr = packMatrix(gateColumns([0, 1], U), zrBias, kernel, recurrent);
      this.candidate = packMatrix(gateColumns([2], U), inputBias, kernel, null);
      this.recurrentCandidate = packMatrix(gateColumns([2], U), recurrentBias, null, recurrent);
    } else {
      this.zr = packMatrix(gateColumns([0, 1], U), bias, kernel, recurrent);
      this.candidate = packMatrix(gateColumns([2], U), bias, kernel, recurrent);
      this.recurrentCandidate = null;
    }
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units: U, activation: act, recurrentActivation: rec } = this.spec;
    const shape = { I: this.inputSize, U, act, rec };
    const zr = arena.place(this.zr);
    const candidate = arena.place(this.candidate);
    return this.recurrentCandidate
      ? new GruResetAfterKernel(arena, shape, zr, candidate, arena.place(this.recurrentCandidate))
      : new GruKernel(arena, shape, zr, candidate);
  }
}

interface GruShape {
  readonly I: number;
  readonly U: number;
  readonly act: CellActivation;
  readonly rec: CellActivation;
}

/** Workspaces and steps shared by both variants; every region holds two keys. */
abstract class GruKernelBase {
  protected readonly K: number;
  protected readonly Up: number;
  /** Arena offsets: [x; h] (K per key), z then r (zr.Gp per key), candidate (candidate.Gp). */
  protected readonly xh: number;
  protected readonly zr: number;
  protected readonly hh: number;
  private readonly act: (at: number, count: number) => void;
  private readonly rec: (at: number, count: number) => void;

  constructor(
    protected readonly arena: GemvArena,
    protected readonly shape: GruShape,
    protected readonly zrMatrix: PlacedMatrix,
    protected readonly candidate: PlacedMatrix,
  ) {
    this.K = shape.I + shape.U;
    this.Up = paddedUnits(shape.U);
    this.xh = arena.alloc(PAIR * this.K);
    this.zr = arena.alloc(PAIR * zrMatrix.Gp);
    this.hh = arena.alloc(PAIR * candidate.Gp);
    this.act = arena.activation(shape.act);
    this.rec = arena.activation(shape.rec);
  }

  /** Loads [x; h] of each key and computes their z and r gates. */
  protected gates(
    n: number,
    input: Float32Array,
    i: number,
    is: number,
    state: Float32Array,
    s: number,
    ss: number,
  ): void {
    const { I, U } = this.shape;
    const { K, xh, zr, arena } = this;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, arena.heap, xh + m * K, I);
      copyFloats(state, s + m * ss, arena.heap, xh + m * K + I, U);
    }
    arena.gemvKeys(this.zrMatrix, n, xh, K, zr, this.zrMatrix.Gp);
    for (let m = 0; m < n; m++) this.rec(zr + m * this.zrMatrix.Gp, 2 * this.Up);
  }

  /** For key m: h' = z⊙h + (1 − z)⊙act(candidate pre-activation). */
  protected blend(m: number, state: Float32Array, s: number): void {
    const zr = this.zr + m * this.zrMatrix.Gp;
    const hh = this.hh + m * this.candidate.Gp;
    this.act(hh, this.Up);
    const heap = this.arena.heap;
    for (let j = 0; j < this.shape.U; j++) {
      const z = heap[zr + j];
      state[s + j] = z * state[s + j] + (1 - z) * heap[hh + j];
    }
  }
}

/** resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. */
class GruKernel extends GruKernelBase implements StepKernel {
  step(
    n: number,
    input: Float32Array,
    i: number,
    is: number,
    state: Float32Array,
    s: number,
    ss: number,
  ): void {
    const { I, U } = this.shape;
    const { K, xh, zr, Up, arena } = this;
    this.gates(n, input, i, is, state, s, ss);
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const r = zr + m * this.zrMatrix.Gp + Up;
      for (let j = 0; j < U; j++) heap[xh + m * K + I + j] *= heap[r + j];
    }
    arena.gemvKeys(this.candidate, n, xh, K, this.hh, this.candidate.Gp);
    for (let m = 0; m < n; m++) this.blend(m, state, s + m * ss);
  }
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of h·Rh + b1h, Gp floats per key. */
  private readonly rh: number;

  constructor(
    arena: GemvArena,
    shape: GruShape,
    zrMatrix: PlacedMatrix,
    candidate: PlacedMatrix,
    private readonly recurrentCandidate: PlacedMatrix,
  ) {
    super(arena, shape, zrMatrix, candidate);
    this.rh = arena.alloc(PAIR * recurrentCandidate.Gp);
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
    const { I, U } = this.shape;
    const { K, xh, zr, hh, rh, Up, arena } = this;
    const Gp = this.candidate.Gp;
    this.gates(n, input, i, is, state, s, ss);
    arena.gemvKeys(this.candidate, n, xh, K, hh, Gp);
    arena.gemvKeys(this.recurrentCandidate, n, xh + I, K, rh, Gp);
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const r = zr + m * this.zrMatrix.Gp + Up;
      for (let j = 0; j < U; j++) heap[hh + m * Gp + j] += heap[r + j] * heap[rh + m * Gp + j];
      this.blend(m, state, s + m * ss);
    }
  }
}
