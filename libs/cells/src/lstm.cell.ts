import { activateInPlace } from './activation.kernel.js';
import type { CellActivation, LstmLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';
import type { GemvArena, PlacedMatrix } from './gemv.arena.js';
import { packMatrix, range, type PackedMatrix } from './packed.matrix.js';

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
      range(0, 4 * U),
      biasOrZeros(weights.bias, 4 * U),
      { values: weights.kernel, rows: inputSize, cols: 4 * U },
      { values: weights.recurrentKernel, rows: U, cols: 4 * U },
    );
  }

  createKernel(arena: GemvArena): StepKernel {
    const { units, activation, recurrentActivation } = this.spec;
    return new LstmKernel(
      arena,
      arena.place(this.gates),
      this.inputSize,
      units,
      activation,
      recurrentActivation,
    );
  }
}

class LstmKernel implements StepKernel {
  /** Arena offset of [x; h], I + U floats. */
  private readonly xh: number;
  /** Arena offset of the gate pre-activations, then activations: i, f, g, o, U floats each. */
  private readonly z: number;

  constructor(
    private readonly arena: GemvArena,
    private readonly gates: PlacedMatrix,
    private readonly I: number,
    private readonly U: number,
    private readonly activation: CellActivation,
    private readonly recurrentActivation: CellActivation,
  ) {
    this.xh = arena.alloc(I + U);
    this.z = arena.alloc(gates.Gp);
  }

  step(input: Float32Array, i: number, state: Float32Array, s: number): void {
    const { I, U, xh, z, arena } = this;
    const heap = arena.heap;
    copyFloats(input, i, heap, xh, I);
    copyFloats(state, s, heap, xh + I, U);
    arena.gemv(this.gates, xh, z);
    activateInPlace(heap, z, z + 2 * U, this.recurrentActivation);
    activateInPlace(heap, z + 2 * U, z + 3 * U, this.activation);
    activateInPlace(heap, z + 3 * U, z + 4 * U, this.recurrentActivation);
    const c = s + U;
    const g = z + 2 * U;
    for (let j = 0; j < U; j++) {
      const next = heap[z + U + j] * state[c + j] + heap[z + j] * heap[g + j];
      state[c + j] = next;
      // The candidate slot is free now: reuse it for act(c').
      heap[g + j] = next;
    }
    activateInPlace(heap, g, g + U, this.activation);
    const o = z + 3 * U;
    for (let j = 0; j < U; j++) state[s + j] = heap[o + j] * heap[g + j];
  }
}
