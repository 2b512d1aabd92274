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
  /** Arena offsets of c (in, then c') and h' per key, Up floats each. */
  private readonly c: number;
  private readonly h: number;
  private readonly update: (z: number, c: number, h: number, Up: number) => void;

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
    this.h = arena.alloc(PAIR * this.Up);
    this.update = arena.lstmUpdate(activations.act, activations.rec);
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
    const { I, U, K, Up, xh, c, h, arena } = this;
    const heap = arena.heap;
    for (let m = 0; m < n; m++) {
      const sm = s + m * ss;
      copyFloats(input, i + m * is, heap, xh + m * K, I);
      copyFloats(state, sm, heap, xh + m * K + I, U);
      copyFloats(state, sm + U, heap, c + m * Up, U);
    }
    arena.gemvKeys(this.gates, n, xh, K, this.z, this.gates.Gp);
    for (let m = 0; m < n; m++) {
      const sm = s + m * ss;
      this.update(this.z + m * this.gates.Gp, c + m * Up, h + m * Up, Up);
      copyFloats(heap, h + m * Up, state, sm, U);
      copyFloats(heap, c + m * Up, state, sm + U, U);
    }
  }
}
