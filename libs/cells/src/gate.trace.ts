import type { CellActivation, RecurrentLayerSpec } from './architecture.js';
import type { RecurrentModel } from './recurrent.model.js';

/**
 * A layer's step that also returns its gates, for inspection: the recurrent cells' arithmetic
 * written out plainly in float64 (tfjs-layers/Keras definitions, exact tanh and sigmoid), not
 * the serving kernels. Slow and allocating; meant for one key's few steps.
 */

/** Activations of one layer at one step, each `units` values. */
export type LayerGates =
  | {
      readonly type: 'lstm';
      /** Input gate i, forget gate f, output gate o: recurrent activation, sigmoid's 0–1. */
      readonly input: Float64Array;
      readonly forget: Float64Array;
      readonly output: Float64Array;
      /** Candidate g = act(…): tanh's −1–1. */
      readonly candidate: Float64Array;
      /** New cell state c and output h. */
      readonly cell: Float64Array;
      readonly hidden: Float64Array;
    }
  | {
      readonly type: 'gru';
      /** Update gate z and reset gate r: recurrent activation, 0–1. */
      readonly update: Float64Array;
      readonly reset: Float64Array;
      /** Candidate hh = act(…), and the new h = z·h + (1 − z)·hh. */
      readonly candidate: Float64Array;
      readonly hidden: Float64Array;
    }
  | {
      readonly type: 'simpleRnn';
      /** The new h = act(x·W + h·R + b). */
      readonly hidden: Float64Array;
    };

export interface TracedStep {
  /** One entry per layer, bottom first. */
  readonly layers: readonly LayerGates[];
}

function activate(kind: CellActivation, x: number): number {
  switch (kind) {
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'hardSigmoid':
      return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case 'relu':
      return Math.max(0, x);
    case 'linear':
      return x;
  }
}

/** Weights of one layer by role, read from the model's named tensors. */
interface LayerTensors {
  readonly kernel: Float32Array;
  readonly recurrent: Float32Array;
  readonly bias: Float32Array | null;
}

/** `bias[offset + j] + Σ_k a[k]·W[k][column0 + j]` for j < units, W row-major with `cols` columns. */
function affine(
  a: ArrayLike<number>,
  w: Float32Array,
  cols: number,
  column0: number,
  units: number,
): Float64Array {
  const out = new Float64Array(units);
  for (let k = 0; k < a.length; k++) {
    const ak = a[k];
    if (ak === 0) continue;
    const row = k * cols + column0;
    for (let j = 0; j < units; j++) out[j] += ak * w[row + j];
  }
  return out;
}

function addBias(values: Float64Array, bias: Float32Array | null, offset: number): Float64Array {
  if (bias) for (let j = 0; j < values.length; j++) values[j] += bias[offset + j];
  return values;
}

const map = (values: Float64Array, f: (v: number, j: number) => number) => values.map(f);

/**
 * One step of one layer from input x and its state vectors (h, and c for LSTM); returns the
 * gates and the new state. Gate pre-activations are `x·W + h·R + b` per gate block, in the
 * weight column order of the layer type (LSTM i, f, c, o; GRU z, r, h).
 */
function layerStep(
  spec: RecurrentLayerSpec,
  tensors: LayerTensors,
  x: ArrayLike<number>,
  state: readonly Float64Array[],
): LayerGates {
  const U = spec.units;
  const { kernel, recurrent, bias } = tensors;
  const h = state[0];
  if (spec.type === 'simpleRnn') {
    const z = affine(x, kernel, U, 0, U);
    const r = affine(h, recurrent, U, 0, U);
    const pre = addBias(
      map(z, (v, j) => v + r[j]),
      bias,
      0,
    );
    return { type: 'simpleRnn', hidden: map(pre, (v) => activate(spec.activation, v)) };
  }
  const G = spec.type === 'lstm' ? 4 : 3;
  const block = (gate: number, from: ArrayLike<number>, weights: Float32Array) =>
    affine(from, weights, G * U, gate * U, U);
  if (spec.type === 'lstm') {
    const pre = (gate: number) => {
      const fromH = block(gate, h, recurrent);
      return addBias(
        map(block(gate, x, kernel), (v, j) => v + fromH[j]),
        bias,
        gate * U,
      );
    };
    const rec = (v: number) => activate(spec.recurrentActivation, v);
    const input = map(pre(0), rec);
    const forget = map(pre(1), rec);
    const candidate = map(pre(2), (v) => activate(spec.activation, v));
    const output = map(pre(3), rec);
    const cell = map(forget, (f, j) => f * state[1][j] + input[j] * candidate[j]);
    const hidden = map(output, (o, j) => o * activate(spec.activation, cell[j]));
    return { type: 'lstm', input, forget, output, candidate, cell, hidden };
  }
  // GRU: bias [3U] (resetAfter false) or [2, 3U] (resetAfter true: input row, recurrent row).
  const recurrentBias = spec.resetAfter ? 3 * U : 0;
  const gatePre = (gate: number) => {
    const fromX = addBias(block(gate, x, kernel), bias, gate * U);
    const fromH = block(gate, h, recurrent);
    if (spec.resetAfter) addBias(fromH, bias, recurrentBias + gate * U);
    return map(fromX, (v, j) => v + fromH[j]);
  };
  const rec = (v: number) => activate(spec.recurrentActivation, v);
  const update = map(gatePre(0), rec);
  const reset = map(gatePre(1), rec);
  const fromX = addBias(block(2, x, kernel), bias, 2 * U);
  const fromH = spec.resetAfter
    ? map(addBias(block(2, h, recurrent), bias, recurrentBias + 2 * U), (v, j) => reset[j] * v)
    : block(
        2,
        map(h, (v, j) => reset[j] * v),
        recurrent,
      );
  const candidate = map(fromX, (v, j) => activate(spec.activation, v + fromH[j]));
  const hidden = map(update, (z, j) => z * h[j] + (1 - z) * candidate[j]);
  return { type: 'gru', update, reset, candidate, hidden };
}

function tensorsOf(model: RecurrentModel, layer: number): LayerTensors {
  const byName = (name: string) =>
    model.weights.find((tensor) => tensor.name === `layers/${layer}/${name}`)?.values ?? null;
  return {
    kernel: byName('kernel')!,
    recurrent: byName('recurrent_kernel')!,
    bias: byName('bias'),
  };
}

/**
 * Steps one key through `inputs` (raw features, oldest first; the model's normalization is
 * applied) from `initialState` (packed as `model.stateLayout`, default zeros) and returns every
 * layer's gates at every step.
 */
export function traceGates(
  model: RecurrentModel,
  inputs: readonly ArrayLike<number>[],
  initialState?: Float32Array,
): TracedStep[] {
  const { architecture, stateLayout, normalization } = model;
  const state: Float64Array[][] = architecture.layers.map((_, layer) =>
    stateLayout.vectors
      .filter((vector) => vector.layer === layer)
      .map((vector) =>
        Float64Array.from(
          initialState?.subarray(vector.offset, vector.offset + vector.length) ??
            new Float64Array(vector.length),
        ),
      ),
  );
  const tensors = architecture.layers.map((_, layer) => tensorsOf(model, layer));
  return inputs.map((raw) => {
    let x: ArrayLike<number> = normalization
      ? Array.from(raw, (v, k) => (v - normalization.mean[k]) / normalization.std[k])
      : raw;
    const layers = architecture.layers.map((spec, layer) => {
      const gates = layerStep(spec, tensors[layer], x, state[layer]);
      state[layer] = gates.type === 'lstm' ? [gates.hidden, gates.cell] : [gates.hidden];
      x = gates.hidden;
      return gates;
    });
    return { layers };
  });
}
