import { activateInPlace } from './activation.kernel.js';
import { affine, BLOCK_KEYS, packRows, range } from './affine.kernel.js';
import type { CellActivation, LstmLayerSpec } from './architecture.js';
import { biasOrZeros, copyFloats } from './cell.js';
import type { LayerWeights, RecurrentCell, StepKernel } from './cell.js';

/**
 * LSTM cell (tfjs-layers/Keras): z = [x; h]·[W; R] + b split into i, f, g, o;
 * c' = σ(f)·c + σ(i)·act(g); h' = σ(o)·act(c'), σ being the recurrent activation.
 * State per key: h then c.
 */
export class LstmCell implements RecurrentCell {
  readonly stateSizes: readonly number[];
  private readonly rows: Float32Array;
  private readonly bias: Float32Array;

  constructor(
    private readonly spec: LstmLayerSpec,
    private readonly inputSize: number,
    weights: LayerWeights,
  ) {
    const U = spec.units;
    this.stateSizes = [U, U];
    this.rows = packRows(
      range(0, 4 * U),
      { values: weights.kernel, rows: inputSize, cols: 4 * U },
      { values: weights.recurrentKernel, rows: U, cols: 4 * U },
    );
    this.bias = biasOrZeros(weights.bias, 4 * U);
  }

  createKernel(): StepKernel {
    return new LstmKernel(
      this.rows,
      this.bias,
      this.inputSize,
      this.spec.units,
      this.spec.activation,
      this.spec.recurrentActivation,
    );
  }
}

class LstmKernel implements StepKernel {
  private readonly K: number;
  /** [x; h] of a block of keys, K floats each. */
  private readonly xh: Float32Array;
  /** Gate pre-activations then activations of a block of keys, 4U floats each. */
  private readonly z: Float32Array;

  constructor(
    private readonly rows: Float32Array,
    private readonly bias: Float32Array,
    private readonly I: number,
    private readonly U: number,
    private readonly activation: CellActivation,
    private readonly recurrentActivation: CellActivation,
  ) {
    this.K = I + U;
    this.xh = new Float32Array(BLOCK_KEYS * this.K);
    this.z = new Float32Array(BLOCK_KEYS * 4 * U);
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
    const { I, U, K, xh, z } = this;
    for (let m = 0; m < n; m++) {
      copyFloats(input, i + m * is, xh, m * K, I);
      copyFloats(state, s + m * ss, xh, m * K + I, U);
    }
    affine(this.rows, this.bias, K, 4 * U, n, xh, 0, K, z, 0, 4 * U);
    for (let m = 0; m < n; m++) this.update(m * 4 * U, state, s + m * ss);
  }

  /** Gate activations and the new c, h of one key whose gates start at z[g]. */
  private update(g: number, state: Float32Array, s: number): void {
    const { U, z } = this;
    activateInPlace(z, g, g + 2 * U, this.recurrentActivation);
    activateInPlace(z, g + 2 * U, g + 3 * U, this.activation);
    activateInPlace(z, g + 3 * U, g + 4 * U, this.recurrentActivation);
    const c = s + U;
    for (let j = 0; j < U; j++) {
      const next = z[g + U + j] * state[c + j] + z[g + j] * z[g + 2 * U + j];
      state[c + j] = next;
      // The candidate slot is free now: reuse it for act(c').
      z[g + 2 * U + j] = next;
    }
    activateInPlace(z, g + 2 * U, g + 3 * U, this.activation);
    for (let j = 0; j < U; j++) state[s + j] = z[g + 3 * U + j] * z[g + 2 * U + j];
  }
}
