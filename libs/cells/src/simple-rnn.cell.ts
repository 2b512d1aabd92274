import type { CellActivation, SimpleRnnLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/** SimpleRNN cell: h' = act(x·W + h·R + b). State per key: h. */
export class SimpleRnnCell implements RecurrentCell {
  private readonly matrix: PackedMatrix;

  constructor(
    private readonly spec: SimpleRnnLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.matrix = packMatrix(
      gateColumns([0], U),
      biasOrZeros(weights.bias, U),
      { values: weights.kernel, rows: inputSize, cols: U },
      { values: weights.recurrentKernel, rows: U, cols: U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units, activation } = this.spec;
    return new SimpleRnnKernel(arena, arena.place(this.matrix), units, activation);
  }
}

class SimpleRnnKernel implements StepKernel {
  /** Arena offset of the pre-activations, Gp floats per key. */
  private readonly pre: number;
  private readonly act: (at: number, count: number) => void;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly U: number,
    activation: CellActivation,
  ) {
    this.pre = arena.alloc(PAIR * matrix.Gp);
    this.act = arena.activation(activation);
  }

  step(n: number, i: number, is: number, s: number, ss: number): void {
    const { U, pre, arena } = this;
    const Gp = this.matrix.Gp;
    arena.gemv(this.matrix, n, i, is, s, ss, pre, Gp);
    for (let m = 0; m < n; m++) {
      this.act(pre + m * Gp, paddedUnits(U));
      copyFloats(arena.heap, pre + m * Gp, arena.heap, s + m * ss, U);
    }
  }
}
