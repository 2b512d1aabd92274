import type { CellActivation, GruLayerSpec } from './architecture.js';
import { biasOrZeros, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { FusedUpdate, GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/**
 * GRU cell, gates z, r, h (tfjs-layers/Keras). Both variants:
 * - resetAfter false (tfjs): hh = act(x·Wh + bh + (r⊙h)·Rh)
 * - resetAfter true (Keras default): hh = act(x·Wh + b0h + r⊙(h·Rh + b1h))
 * then h' = z⊙h + (1 − z)⊙hh, with z, r = σ(x·W + h·R + b). State per key: h.
 */
export class GruCell implements RecurrentCell {
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
    const matrices = { zr: arena.place(this.zr), candidate: arena.place(this.candidate) };
    return this.recurrentCandidate
      ? new GruResetAfterKernel(
          arena,
          U,
          { act, rec },
          {
            ...matrices,
            recurrentCandidate: arena.place(this.recurrentCandidate),
          },
        )
      : new GruKernel(arena, U, { act, rec }, matrices);
  }
}

/** A GRU's matrices placed in the arena: z and r over [x; h], and the candidate's. */
interface GruMatrices {
  readonly zr: PlacedMatrix;
  readonly candidate: PlacedMatrix;
}

/** Workspaces and steps shared by both variants; every region holds two keys. */
abstract class GruKernelBase {
  protected readonly Up: number;
  /** Arena offsets: z then r (zrMatrix.Gp per key), candidate (candidate.Gp per key). */
  protected readonly zr: number;
  protected readonly hh: number;
  /** Arena offset of the blend's scratch, Up floats per key. */
  private readonly scratch: number;
  private readonly blendKey: FusedUpdate;

  protected readonly zrMatrix: PlacedMatrix;
  protected readonly candidate: PlacedMatrix;

  constructor(
    protected readonly arena: GemvArena,
    protected readonly U: number,
    activations: { act: CellActivation; rec: CellActivation },
    { zr: zrMatrix, candidate }: GruMatrices,
  ) {
    this.zrMatrix = zrMatrix;
    this.candidate = candidate;
    this.Up = paddedUnits(U);
    this.zr = arena.alloc(PAIR * zrMatrix.Gp);
    this.hh = arena.alloc(PAIR * candidate.Gp);
    this.scratch = arena.alloc(PAIR * this.Up);
    this.blendKey = arena.gruBlend(activations.act);
  }

  /** For key m with h at s and z activated: h' = z⊙h + (1 − z)⊙act(candidate pre-activation). */
  protected blend(m: number, s: number): void {
    const { Up } = this;
    this.blendKey(
      this.zr + m * this.zrMatrix.Gp,
      this.hh + m * this.candidate.Gp,
      s,
      this.U,
      Up,
      this.scratch + m * Up,
    );
  }
}

/**
 * resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. Two
 * matmuls and two fused SIMD passes per pair of keys: [z, r] over [x; h], then z activated and
 * r⊙h formed in one pass, the candidate over [x; r⊙h], then the blend.
 */
class GruKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of r⊙h, Up floats per key. */
  private readonly resetH: number;
  private readonly reset: (zr: number, h: number, Up: number, rh: number) => void;

  constructor(
    arena: GemvArena,
    U: number,
    activations: { act: CellActivation; rec: CellActivation },
    matrices: GruMatrices,
  ) {
    super(arena, U, activations, matrices);
    this.resetH = arena.alloc(PAIR * this.Up);
    this.reset = arena.gruReset(activations.rec);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { Up, zr, resetH, arena } = this;
    const Gp = this.zrMatrix.Gp;
    arena.gemv(this.zrMatrix, n, i, is, s, ss, zr, Gp);
    for (let m = 0; m < n; m++) this.reset(zr + m * Gp, s + m * ss, Up, resetH + m * Up);
    arena.gemv(this.candidate, n, i, is, resetH, Up, this.hh, this.candidate.Gp);
    for (let m = 0; m < n; m++) this.blend(m, s + m * ss);
  }
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of h·Rh + b1h, Gp floats per key. */
  private readonly rh: number;
  private readonly rec: (at: number, count: number) => void;

  private readonly recurrentCandidate: PlacedMatrix;

  constructor(
    arena: GemvArena,
    U: number,
    activations: { act: CellActivation; rec: CellActivation },
    matrices: GruMatrices & { readonly recurrentCandidate: PlacedMatrix },
  ) {
    super(arena, U, activations, matrices);
    this.recurrentCandidate = matrices.recurrentCandidate;
    this.rh = arena.alloc(PAIR * this.recurrentCandidate.Gp);
    this.rec = arena.activation(activations.rec);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { U, Up, zr, hh, rh, arena } = this;
    const Gp = this.candidate.Gp;
    const zrGp = this.zrMatrix.Gp;
    arena.gemv(this.zrMatrix, n, i, is, s, ss, zr, zrGp);
    for (let m = 0; m < n; m++) this.rec(zr + m * zrGp, 2 * Up);
    // The input part reads x only (K2 = 0), the recurrent part h only (K1 = 0).
    arena.gemv(this.candidate, n, i, is, 0, 0, hh, Gp);
    arena.gemv(this.recurrentCandidate, n, 0, 0, s, ss, rh, Gp);
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const r = zr + m * zrGp + Up;
      for (let j = 0; j < U; j++) heap[hh + m * Gp + j] += heap[r + j] * heap[rh + m * Gp + j];
      this.blend(m, s + m * ss);
    }
  }
}
