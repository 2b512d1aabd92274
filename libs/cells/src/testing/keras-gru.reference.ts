/**
 * A deliberately plain GRU (resetAfter: true) written from the Keras equations, used as the
 * reference where tfjs has no such layer. Double precision, nested arrays, no shared code with
 * the library:
 *   x_z, x_r, x_h = x·W + b_in;  i_z, i_r, i_h = h·R + b_rec
 *   z = σ(x_z + i_z);  r = σ(x_r + i_r);  hh = act(x_h + r ⊙ i_h);  h = z ⊙ h + (1 − z) ⊙ hh
 */
export type Activation = (x: number) => number;

export const REFERENCE_ACTIVATIONS: Record<string, Activation> = {
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
};

export interface ReferenceGruLayer {
  readonly units: number;
  /** [in][3U] */
  readonly kernel: number[][];
  /** [U][3U] */
  readonly recurrentKernel: number[][];
  /** [2][3U]: input bias, recurrent bias */
  readonly bias: number[][];
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
}

function matVec(vector: number[], matrix: number[][], bias: number[]): number[] {
  return bias.map((b, j) => vector.reduce((sum, v, k) => sum + v * matrix[k][j], b));
}

/** One step of one layer. */
function referenceGruStep(layer: ReferenceGruLayer, x: number[], h: number[]): number[] {
  const U = layer.units;
  const fromInput = matVec(x, layer.kernel, layer.bias[0]);
  const fromState = matVec(h, layer.recurrentKernel, layer.bias[1]);
  const next: number[] = [];
  for (let j = 0; j < U; j++) {
    const z = layer.recurrentActivation(fromInput[j] + fromState[j]);
    const r = layer.recurrentActivation(fromInput[U + j] + fromState[U + j]);
    const hh = layer.activation(fromInput[2 * U + j] + r * fromState[2 * U + j]);
    next.push(z * h[j] + (1 - z) * hh);
  }
  return next;
}

/** Runs a stack over one key's sequence; returns the top h at every step. */
export function referenceGruSequence(
  layers: readonly ReferenceGruLayer[],
  sequence: number[][],
): number[][] {
  const states = layers.map((l) => new Array<number>(l.units).fill(0));
  return sequence.map((x) => {
    let input = x;
    layers.forEach((layer, n) => {
      states[n] = referenceGruStep(layer, input, states[n]);
      input = states[n];
    });
    return input;
  });
}
