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
    private readonly inputSize: number,
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
    return new DenseHeadKernel(arena, arena.place(this.matrix), this.inputSize, this.spec);
  }
}

/** The head bound to a stepper's arena. */
export class DenseHeadKernel {
  /** Arena offsets per key: top h (inputSize floats each), outputs (Gp floats each). */
  private readonly h: number;
  private readonly out: number;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly inputSize: number,
    private readonly spec: DenseHeadSpec,
  ) {
    this.h = arena.alloc(PAIR * inputSize);
    this.out = arena.alloc(PAIR * matrix.Gp);
  }

  /**
   * For `n` keys (1 or 2): reads key m's top h at `input[i + m·is …]` and writes its O outputs
   * to `out[o + m·O …]`.
   */
  apply(n: number, input: Float32Array, i: number, is: number, out: Float32Array, o: number): void {
    const { arena, inputSize } = this;
    const O = this.spec.units;
    const Gp = this.matrix.Gp;
    for (let m = 0; m < n; m++)
      copyFloats(input, i + m * is, arena.heap, this.h + m * inputSize, inputSize);
    arena.gemvKeys(this.matrix, n, this.h, inputSize, this.out, Gp);
    for (let m = 0; m < n; m++) {
      copyFloats(arena.heap, this.out + m * Gp, out, o + m * O, O);
      activateHeadInPlace(out, o + m * O, o + (m + 1) * O, this.spec.activation);
    }
  }
}
