import type { CellActivation, SimpleRnnLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats, PAIR } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { gateColumns, packMatrix, paddedUnits, type PackedMatrix } from './packed.matrix.js';

/** SimpleRNN cell: h' = act(x·W + h·R + b). State per key: h. */
export class SimpleRnnCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  private readonly matrix: PackedMatrix;

  constructor(
    private readonly spec: SimpleRnnLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.stateSizes = [U];
    this.matrix = packMatrix(
      gateColumns([0], U),
      biasOrZeros(weights.bias, U),
      { values: weights.kernel, rows: inputSize, cols: U },
      { values: weights.recurrentKernel, rows: U, cols: U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units, activation } = this.spec;
    return new SimpleRnnKernel(arena, arena.place(this.matrix), this.inputSize, units, activation);
  }
}

class SimpleRnnKernel implements StepKernel {
  private readonly K: number;
  /** Arena offsets per key: [x; h] (K floats each), pre-activations (Gp floats each). */
  private readonly xh: number;
  private readonly pre: number;
  private readonly act: (at: number, count: number) => void;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly I: number,
    private readonly U: number,
    activation: CellActivation,
  ) {
    this.K = I + U;
    this.xh = arena.alloc(PAIR * this.K);
    this.pre = arena.alloc(PAIR * matrix.Gp);
    this.act = arena.activation(activation);
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
    const { I, U, K, xh, pre, arena } = this;
    const Gp = this.matrix.Gp;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, arena.heap, xh + m * K, I);
      copyFloats(state, s + m * ss, arena.heap, xh + m * K + I, U);
    }
    arena.gemvKeys(this.matrix, n, xh, K, pre, Gp);
    for (let m = 0; m < n; m++) {
      this.act(pre + m * Gp, paddedUnits(U));
      copyFloats(arena.heap, pre + m * Gp, state, s + m * ss, U);
    }
  }
}
