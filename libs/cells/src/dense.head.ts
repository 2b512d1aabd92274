import { activateHeadInPlace } from './activation.kernel.js';
import type { DenseHeadSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
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
  private readonly h: number;
  private readonly out: number;

  constructor(
    private readonly arena: GemvArena,
    private readonly matrix: PlacedMatrix,
    private readonly inputSize: number,
    private readonly spec: DenseHeadSpec,
  ) {
    this.h = arena.alloc(inputSize);
    this.out = arena.alloc(matrix.Gp);
  }

  /** Reads one key's top h at `input[i…]` and writes its O outputs to `out[o…]`. */
  apply(input: Float32Array, i: number, out: Float32Array, o: number): void {
    const heap = this.arena.heap;
    const O = this.spec.units;
    copyFloats(input, i, heap, this.h, this.inputSize);
    this.arena.gemv(this.matrix, this.h, this.out);
    copyFloats(heap, this.out, out, o, O);
    activateHeadInPlace(out, o, o + O, this.spec.activation);
  }
}
