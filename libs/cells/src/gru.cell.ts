import type { CellActivation, GruLayerSpec } from './architecture.js';
import { biasOrZeros, PAIR } from './cell.js';
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
    const zr = arena.place(this.zr);
    const candidate = arena.place(this.candidate);
    return this.recurrentCandidate
      ? new GruResetAfterKernel(
          arena,
          U,
          { act, rec },
          zr,
          candidate,
          arena.place(this.recurrentCandidate),
        )
      : new GruKernel(arena, U, { act, rec }, zr, candidate);
  }
}

/** Workspaces and steps shared by both variants; every region holds two keys. */
abstract class GruKernelBase {
  protected readonly Up: number;
  /** Arena offsets: z then r (zrMatrix.Gp per key), candidate (candidate.Gp per key). */
  protected readonly zr: number;
  protected readonly hh: number;
  private readonly act: (at: number, count: number) => void;
  private readonly rec: (at: number, count: number) => void;

  constructor(
    protected readonly arena: GemvArena,
    protected readonly U: number,
    activations: { act: CellActivation; rec: CellActivation },
    protected readonly zrMatrix: PlacedMatrix,
    protected readonly candidate: PlacedMatrix,
  ) {
    this.Up = paddedUnits(U);
    this.zr = arena.alloc(PAIR * zrMatrix.Gp);
    this.hh = arena.alloc(PAIR * candidate.Gp);
    this.act = arena.activation(activations.act);
    this.rec = arena.activation(activations.rec);
  }

  /** The z and r gates of each key from [x; h]. */
  protected gates(n: number, i: number, is: number, s: number, ss: number): void {
    const Gp = this.zrMatrix.Gp;
    this.arena.gemv(this.zrMatrix, n, i, is, s, ss, this.zr, Gp);
    for (let m = 0; m < n; m++) this.rec(this.zr + m * Gp, 2 * this.Up);
  }

  /** For key m with h at s: h' = z⊙h + (1 − z)⊙act(candidate pre-activation). */
  protected blend(m: number, s: number): void {
    const zr = this.zr + m * this.zrMatrix.Gp;
    const hh = this.hh + m * this.candidate.Gp;
    this.act(hh, this.Up);
    const heap = this.arena.heap;
    for (let j = 0; j < this.U; j++) {
      const z = heap[zr + j];
      heap[s + j] = z * heap[s + j] + (1 - z) * heap[hh + j];
    }
  }
}

/** resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. */
class GruKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of r⊙h, Up floats per key. */
  private readonly resetH: number;

  constructor(
    arena: GemvArena,
    U: number,
    activations: { act: CellActivation; rec: CellActivation },
    zrMatrix: PlacedMatrix,
    candidate: PlacedMatrix,
  ) {
    super(arena, U, activations, zrMatrix, candidate);
    this.resetH = arena.alloc(PAIR * this.Up);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { U, Up, zr, resetH, arena } = this;
    this.gates(n, i, is, s, ss);
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const r = zr + m * this.zrMatrix.Gp + Up;
      for (let j = 0; j < U; j++) heap[resetH + m * Up + j] = heap[r + j] * heap[s + m * ss + j];
    }
    arena.gemv(this.candidate, n, i, is, resetH, Up, this.hh, this.candidate.Gp);
    for (let m = 0; m < n; m++) this.blend(m, s + m * ss);
  }
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of h·Rh + b1h, Gp floats per key. */
  private readonly rh: number;

  constructor(
    arena: GemvArena,
    U: number,
    activations: { act: CellActivation; rec: CellActivation },
    zrMatrix: PlacedMatrix,
    candidate: PlacedMatrix,
    private readonly recurrentCandidate: PlacedMatrix,
  ) {
    super(arena, U, activations, zrMatrix, candidate);
    this.rh = arena.alloc(PAIR * recurrentCandidate.Gp);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { U, Up, zr, hh, rh, arena } = this;
    const Gp = this.candidate.Gp;
    this.gates(n, i, is, s, ss);
    // The input part reads x only (K2 = 0), the recurrent part h only (K1 = 0).
    arena.gemv(this.candidate, n, i, is, 0, 0, hh, Gp);
    arena.gemv(this.recurrentCandidate, n, 0, 0, s, ss, rh, Gp);
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const r = zr + m * this.zrMatrix.Gp + Up;
      for (let j = 0; j < U; j++) heap[hh + m * Gp + j] += heap[r + j] * heap[rh + m * Gp + j];
      this.blend(m, s + m * ss);
    }
  }
}
