import { activateInPlace } from './activation.kernel.js';
import type { CellActivation, SimpleRnnLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { packMatrix, range, type PackedMatrix } from './packed.matrix.js';

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
      range(0, U),
      biasOrZeros(weights.bias, U),
      { values: weights.kernel, rows: inputSize, cols: U },
      { values: weights.recurrentKernel, rows: U, cols: U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    return new SimpleRnnKernel(
      arena,
      arena.place(this.matrix),
      this.inputSize,
      this.spec.units,
      this.spec.activation,
    );
  }
}

class SimpleRnnKernel implements StepKernel {
  private readonly xh: number;
  private readonly pre: number;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly I: number,
    private readonly U: number,
    private readonly activation: CellActivation,
  ) {
    this.xh = arena.alloc(I + U);
    this.pre = arena.alloc(matrix.Gp);
  }

  step(input: Float32Array, i: number, state: Float32Array, s: number): void {
    const { I, U, xh, pre, arena } = this;
    const heap = arena.heap;
    copyFloats(input, i, heap, xh, I);
    copyFloats(state, s, heap, xh + I, U);
    arena.gemv(this.matrix, xh, pre);
    activateInPlace(heap, pre, pre + U, this.activation);
    copyFloats(heap, pre, state, s, U);
  }
}
