import type { CellActivation, LstmLayerSpec } from './architecture.js';
import { biasOrZeros, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { FusedUpdate, GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/**
 * LSTM cell (tfjs-layers/Keras): z = [x; h]·[W; R] + b split into i, f, g, o;
 * c' = σ(f)·c + σ(i)·act(g); h' = σ(o)·act(c'), σ being the recurrent activation.
 * State per key: h then c.
 */
export class LstmCell implements RecurrentCell {
  private readonly gates: PackedMatrix;

  constructor(
    private readonly spec: LstmLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.gates = packMatrix(
      gateColumns([0, 1, 2, 3], U),
      biasOrZeros(weights.bias, 4 * U),
      { values: weights.kernel, rows: inputSize, cols: 4 * U },
      { values: weights.recurrentKernel, rows: U, cols: 4 * U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units, activation, recurrentActivation } = this.spec;
    return new LstmKernel(arena, arena.place(this.gates), units, activation, recurrentActivation);
  }
}

class LstmKernel implements StepKernel {
  private readonly Up: number;
  /** Arena offset of the gates i, f, g, o (Up floats each) per key, Gp floats each. */
  private readonly z: number;
  /** Arena offset of the fused update's scratch, 2·Up floats per key. */
  private readonly scratch: number;
  private readonly update: FusedUpdate;

  constructor(
    private readonly arena: GemvArena,
    private readonly gates: PlacedMatrix,
    private readonly U: number,
    act: CellActivation,
    rec: CellActivation,
  ) {
    this.Up = paddedUnits(U);
    this.z = arena.alloc(PAIR * gates.Gp);
    this.scratch = arena.alloc(PAIR * 2 * this.Up);
    this.update = arena.lstmUpdate(act, rec);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { U, Up, z, scratch } = this;
    const Gp = this.gates.Gp;
    // Gates from [x; h] straight from the batch buffers, then c and h updated in place.
    this.arena.gemv(this.gates, n, i, is, s, ss, z, Gp);
    for (let m = 0; m < n; m++) {
      const h = s + m * ss;
      this.update(z + m * Gp, h + U, h, U, Up, scratch + m * 2 * Up);
    }
  }
}
