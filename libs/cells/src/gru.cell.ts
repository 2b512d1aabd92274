import { activateInPlace } from './activation.kernel.js';
import type { CellActivation, GruLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { packMatrix, range, type PackedMatrix } from './packed.matrix.js';

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
      const zrBias = bias.slice(0, 2 * U).map((b, j) => b + bias[3 * U + j]);
      this.zr = packMatrix(range(0, 2 * U), zrBias, kernel, recurrent);
      this.candidate = packMatrix(range(2 * U, 3 * U), bias.slice(2 * U, 3 * U), kernel, null);
      this.recurrentCandidate = packMatrix(
        range(2 * U, 3 * U),
        bias.slice(5 * U, 6 * U),
        null,
        recurrent,
      );
    } else {
      this.zr = packMatrix(range(0, 2 * U), bias.slice(0, 2 * U), kernel, recurrent);
      this.candidate = packMatrix(range(2 * U, 3 * U), bias.slice(2 * U, 3 * U), kernel, recurrent);
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

/** Workspaces and steps shared by both variants. */
abstract class GruKernelBase {
  /** Arena offsets: [x; h], z then r (2U), candidate (U). */
  protected readonly xh: number;
  protected readonly zr: number;
  protected readonly hh: number;

  constructor(
    protected readonly arena: GemvArena,
    protected readonly shape: GruShape,
    protected readonly zrMatrix: PlacedMatrix,
    protected readonly candidate: PlacedMatrix,
  ) {
    this.xh = arena.alloc(shape.I + shape.U);
    this.zr = arena.alloc(zrMatrix.Gp);
    this.hh = arena.alloc(candidate.Gp);
  }

  /** Loads [x; h], computes the z and r gates. */
  protected gates(
    heap: Float32Array,
    input: Float32Array,
    i: number,
    state: Float32Array,
    s: number,
  ): void {
    const { I, U, rec } = this.shape;
    copyFloats(input, i, heap, this.xh, I);
    copyFloats(state, s, heap, this.xh + I, U);
    this.arena.gemv(this.zrMatrix, this.xh, this.zr);
    activateInPlace(heap, this.zr, this.zr + 2 * U, rec);
  }

  /** h' = z⊙h + (1 − z)⊙act(candidate pre-activation). */
  protected blend(heap: Float32Array, state: Float32Array, s: number): void {
    const { U, act } = this.shape;
    const { zr, hh } = this;
    activateInPlace(heap, hh, hh + U, act);
    for (let j = 0; j < U; j++) {
      const z = heap[zr + j];
      state[s + j] = z * state[s + j] + (1 - z) * heap[hh + j];
    }
  }
}

/** resetAfter false: the reset gate scales h before the recurrent matmul of the candidate. */
class GruKernel extends GruKernelBase implements StepKernel {
  step(input: Float32Array, i: number, state: Float32Array, s: number): void {
    const heap = this.arena.heap;
    const { I, U } = this.shape;
    const { xh, zr } = this;
    this.gates(heap, input, i, state, s);
    for (let j = 0; j < U; j++) heap[xh + I + j] *= heap[zr + U + j];
    this.arena.gemv(this.candidate, xh, this.hh);
    this.blend(heap, state, s);
  }
}

/** resetAfter true: the reset gate scales the recurrent part of the candidate after its matmul. */
class GruResetAfterKernel extends GruKernelBase implements StepKernel {
  /** Arena offset of h·Rh + b1h, U floats. */
  private readonly rh: number;

  constructor(
    arena: GemvArena,
    shape: GruShape,
    zrMatrix: PlacedMatrix,
    candidate: PlacedMatrix,
    private readonly recurrentCandidate: PlacedMatrix,
  ) {
    super(arena, shape, zrMatrix, candidate);
    this.rh = arena.alloc(recurrentCandidate.Gp);
  }

  step(input: Float32Array, i: number, state: Float32Array, s: number): void {
    const heap = this.arena.heap;
    const { I, U } = this.shape;
    const { xh, zr, hh, rh } = this;
    this.gates(heap, input, i, state, s);
    this.arena.gemv(this.candidate, xh, hh);
    this.arena.gemv(this.recurrentCandidate, xh + I, rh);
    for (let j = 0; j < U; j++) heap[hh + j] += heap[zr + U + j] * heap[rh + j];
    this.blend(heap, state, s);
  }
}
