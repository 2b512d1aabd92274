import { activateHeadInPlace } from './activation.kernel.js';
import type { DenseHeadSpec } from './architecture.js';
import { biasOrZeros, copyFloats, PAIR } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { packMatrix, range, type PackedMatrix } from './packed.matrix.js';

/** Weights of the Dense head, Keras layout: `kernel [U × O]`, `bias [O]` or null. */
export interface DenseWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array | null;
}

/** Dense head on the top layer's h: out = act(h·W + b). */
export class DenseHead {
  private readonly matrix: PackedMatrix;

  constructor(
    private readonly spec: DenseHeadSpec,
    inputSize: number,
    weights: DenseWeights,
  ) {
    this.matrix = packMatrix(
      range(0, spec.units),
      biasOrZeros(weights.bias, spec.units),
      { values: weights.kernel, rows: inputSize, cols: spec.units },
      null,
    );
  }

  createKernel(arena: GemvArena): DenseHeadKernel {
    return new DenseHeadKernel(arena, arena.place(this.matrix), this.spec);
  }
}

/** The head bound to a stepper's arena. */
export class DenseHeadKernel {
  /** Arena offset of the outputs, Gp floats per key. */
  private readonly out: number;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly spec: DenseHeadSpec,
  ) {
    this.out = arena.alloc(PAIR * matrix.Gp);
  }

  /**
   * For `n` keys (1 or 2): reads key m's top h at `heap[i + m·is …]` and writes its O outputs
   * to `heap[o + m·O …]`.
   */
  apply(n: number, i: number, is: number, o: number): void {
    const { arena, out } = this;
    const O = this.spec.units;
    const Gp = this.matrix.Gp;
    arena.gemv(this.matrix, n, i, is, 0, 0, out, Gp);
    for (let m = 0; m < n; m++) {
      copyFloats(arena.heap, out + m * Gp, arena.heap, o + m * O, O);
      activateHeadInPlace(arena.heap, o + m * O, o + (m + 1) * O, this.spec.activation);
    }
  }
}
