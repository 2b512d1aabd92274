import type { CellActivation, LstmLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/**
 * LSTM cell (tfjs-layers/Keras): z = [x; h]·[W; R] + b split into i, f, g, o;
 * c' = σ(f)·c + σ(i)·act(g); h' = σ(o)·act(c'), σ being the recurrent activation.
 * State per key: h then c.
 */
export class LstmCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  private readonly gates: PackedMatrix;

  constructor(
    private readonly spec: LstmLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.stateSizes = [U, U];
    this.gates = packMatrix(
      gateColumns([0, 1, 2, 3], U),
      biasOrZeros(weights.bias, 4 * U),
      { values: weights.kernel, rows: inputSize, cols: 4 * U },
      { values: weights.recurrentKernel, rows: U, cols: 4 * U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units, activation, recurrentActivation } = this.spec;
    return new LstmKernel(arena, arena.place(this.gates), this.inputSize, units, {
      act: activation,
      rec: recurrentActivation,
    });
  }
}

class LstmKernel implements StepKernel {
  private readonly K: number;
  private readonly Up: number;
  /** Arena offset of [x; h] per key, K floats each. */
  private readonly xh: number;
  /** Arena offset of the gates i, f, g, o (Up floats each) per key, Gp floats each. */
  private readonly z: number;
  /** Arena offset of act(c') per key, Up floats each. */
  private readonly c: number;
  private readonly act: (at: number, count: number) => void;
  private readonly rec: (at: number, count: number) => void;

  constructor(
    private readonly arena: GemvArena,
    private readonly gates: PlacedMatrix,
    private readonly I: number,
    private readonly U: number,
    activations: { act: CellActivation; rec: CellActivation },
  ) {
    this.K = I + U;
    this.Up = paddedUnits(U);
    this.xh = arena.alloc(PAIR * this.K);
    this.z = arena.alloc(PAIR * gates.Gp);
    this.c = arena.alloc(PAIR * this.Up);
    this.act = arena.activation(activations.act);
    this.rec = arena.activation(activations.rec);
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
    const { I, U, K, xh, arena } = this;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, arena.heap, xh + m * K, I);
      copyFloats(state, s + m * ss, arena.heap, xh + m * K + I, U);
    }
    arena.gemvKeys(this.gates, n, xh, K, this.z, this.gates.Gp);
    for (let m = 0; m < n; m++) this.update(m, state, s + m * ss);
  }

  /** Activations and the new c, h of key m of the step. */
  private update(m: number, state: Float32Array, s: number): void {
    const { U, Up, arena } = this;
    const z = this.z + m * this.gates.Gp;
    const c = this.c + m * Up;
    this.rec(z, 2 * Up);
    this.act(z + 2 * Up, Up);
    this.rec(z + 3 * Up, Up);
    const heap = arena.heap;
    const f = z + Up;
    const g = z + 2 * Up;
    const sc = s + U;
    for (let j = 0; j < U; j++) {
      const next = heap[f + j] * state[sc + j] + heap[z + j] * heap[g + j];
      state[sc + j] = next;
      heap[c + j] = next;
    }
    this.act(c, Up);
    const o = z + 3 * Up;
    for (let j = 0; j < U; j++) state[s + j] = heap[o + j] * heap[c + j];
  }
}
