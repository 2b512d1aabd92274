import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellActivation, ModelArchitecture, RecurrentLayerSpec } from './architecture.js';
import { traceGates, type LayerGates } from './gate.trace.js';
import type { RecurrentModel } from './recurrent.model.js';
import { randomModel } from './testing/model.fixture.js';
import { seededRandom } from '@rnnflow/random';
import { randomFloats } from './testing/tfjs.fixture.js';

const STEPS = 12;
const TOLERANCE = 1e-5;

/** tfjs's own definitions of the activations (tf.layers' recurrent cells use these ops). */
function tfActivation(kind: CellActivation, x: tf.Tensor): tf.Tensor {
  switch (kind) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'relu':
      return tf.relu(x);
    case 'linear':
      return x;
  }
}

/** The gates of one layer step computed with tfjs ops, as tf.layers' LSTMCell/GRUCell do. */
function tfLayerStep(
  spec: RecurrentLayerSpec,
  weights: { kernel: tf.Tensor2D; recurrent: tf.Tensor2D; bias: tf.Tensor | null },
  x: tf.Tensor2D,
  state: tf.Tensor2D[],
): Record<string, tf.Tensor2D> {
  const { kernel, recurrent, bias } = weights;
  const U = spec.units;
  const h = state[0];
  const withBias = (t: tf.Tensor2D) => (bias ? (tf.add(t, bias) as tf.Tensor2D) : t);
  if (spec.type === 'simpleRnn') {
    const pre = withBias(tf.add(tf.matMul(x, kernel), tf.matMul(h, recurrent)) as tf.Tensor2D);
    return { hidden: tfActivation(spec.activation, pre) as tf.Tensor2D };
  }
  if (spec.type === 'lstm') {
    const z = withBias(tf.add(tf.matMul(x, kernel), tf.matMul(h, recurrent)) as tf.Tensor2D);
    const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
    const rec = (t: tf.Tensor2D) => tfActivation(spec.recurrentActivation, t) as tf.Tensor2D;
    const input = rec(i);
    const forget = rec(f);
    const output = rec(o);
    const candidate = tfActivation(spec.activation, g) as tf.Tensor2D;
    const cell = tf.add(tf.mul(forget, state[1]), tf.mul(input, candidate)) as tf.Tensor2D;
    const hidden = tf.mul(output, tfActivation(spec.activation, cell)) as tf.Tensor2D;
    return { input, forget, output, candidate, cell, hidden };
  }
  const [kz, kr, kh] = tf.split(kernel, 3, 1) as tf.Tensor2D[];
  const [rz, rr, rh] = tf.split(recurrent, 3, 1) as tf.Tensor2D[];
  const biases = bias && (spec.resetAfter ? tf.unstack(bias) : [bias, tf.zeros([3 * U])]);
  const [bx, bh] = biases ? biases.map((b) => tf.split(b, 3, 0)) : [null, null];
  const plus = (t: tf.Tensor, b: tf.Tensor[] | null, gate: number) =>
    (b ? tf.add(t, b[gate]) : t) as tf.Tensor2D;
  const rec = (t: tf.Tensor) => tfActivation(spec.recurrentActivation, t) as tf.Tensor2D;
  const update = rec(tf.add(plus(tf.matMul(x, kz), bx, 0), plus(tf.matMul(h, rz), bh, 0)));
  const reset = rec(tf.add(plus(tf.matMul(x, kr), bx, 1), plus(tf.matMul(h, rr), bh, 1)));
  const fromH = spec.resetAfter
    ? tf.mul(reset, plus(tf.matMul(h, rh), bh, 2))
    : tf.matMul(tf.mul(reset, h) as tf.Tensor2D, rh);
  const candidate = tfActivation(
    spec.activation,
    tf.add(plus(tf.matMul(x, kh), bx, 2), fromH),
  ) as tf.Tensor2D;
  const hidden = tf.add(tf.mul(update, h), tf.mul(tf.sub(1, update), candidate)) as tf.Tensor2D;
  return { update, reset, candidate, hidden };
}

/** Every layer's gates at every step, by tfjs. */
function tfTrace(model: RecurrentModel, inputs: Float32Array[]): Record<string, number[]>[][] {
  const { architecture } = model;
  const tensor = (name: string) => model.weights.find((w) => w.name === name);
  return tf.tidy(() => {
    const weights = architecture.layers.map((spec, n) => {
      const get = (role: string) => tensor(`layers/${n}/${role}`);
      const b = get('bias');
      return {
        kernel: tf.tensor2d(get('kernel')!.values, get('kernel')!.shape as [number, number]),
        recurrent: tf.tensor2d(
          get('recurrent_kernel')!.values,
          get('recurrent_kernel')!.shape as [number, number],
        ),
        bias: b ? tf.tensor(b.values, b.shape as number[]) : null,
      };
    });
    let state = architecture.layers.map((spec) =>
      Array.from({ length: spec.type === 'lstm' ? 2 : 1 }, () => tf.zeros([1, spec.units])),
    ) as tf.Tensor2D[][];
    return inputs.map((row) => {
      let x = tf.tensor2d(row, [1, row.length]);
      const next: tf.Tensor2D[][] = [];
      const layers = architecture.layers.map((spec, n) => {
        const gates = tfLayerStep(spec, weights[n], x, state[n]);
        next.push(spec.type === 'lstm' ? [gates.hidden, gates.cell] : [gates.hidden]);
        x = gates.hidden;
        return Object.fromEntries(
          Object.entries(gates).map(([name, t]) => [name, Array.from(t.dataSync())]),
        );
      });
      state = next;
      return layers;
    });
  });
}

const layer = (spec: Partial<RecurrentLayerSpec> & Pick<RecurrentLayerSpec, 'type'>) =>
  ({
    units: 5,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    useBias: true,
    ...spec,
  }) as RecurrentLayerSpec;

const CASES: [string, ModelArchitecture][] = [
  [
    'LSTM tanh/sigmoid then GRU tanh/hardSigmoid, Dense head',
    {
      inputSize: 3,
      layers: [
        layer({ type: 'lstm', units: 6 }),
        layer({ type: 'gru', recurrentActivation: 'hardSigmoid', resetAfter: false }),
      ],
      head: { units: 2, activation: 'linear', useBias: true },
    },
  ],
  [
    'GRU resetAfter (Keras), SimpleRNN relu without bias, sigmoid head',
    {
      inputSize: 4,
      layers: [
        layer({ type: 'gru', resetAfter: true, units: 7 }),
        layer({ type: 'simpleRnn', activation: 'relu', useBias: false, units: 3 }),
      ],
      head: { units: 2, activation: 'sigmoid', useBias: true },
    },
  ],
];

describe('traceGates', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('%s: every gate equals a tfjs computation within 1e-5', (_, architecture) => {
    const model = randomModel(architecture, 11);
    // The fixture's model normalizes inputs; tfjs gets the normalized rows.
    const random = seededRandom(4);
    const raw = Array.from({ length: STEPS }, () =>
      randomFloats(random, architecture.inputSize, 2),
    );
    const normalized = raw.map((row) =>
      row.map((v, k) => (v - model.normalization!.mean[k]) / model.normalization!.std[k]),
    );
    const expected = tfTrace(model, normalized);
    const actual = traceGates(model, raw);
    expect(actual).toHaveLength(STEPS);
    actual.forEach((step, t) =>
      step.layers.forEach((gates: LayerGates, n) => {
        const { type, ...vectors } = gates;
        expect(type).toBe(architecture.layers[n].type);
        expect(Object.keys(vectors).sort()).toEqual(Object.keys(expected[t][n]).sort());
        for (const [name, values] of Object.entries(vectors)) {
          const reference = expected[t][n][name];
          const worst = Math.max(...Array.from(values, (v, j) => Math.abs(v - reference[j])));
          expect(worst, `step ${t} layer ${n} ${name}`).toBeLessThan(TOLERANCE);
        }
      }),
    );
  });

  it('ends in the state the serving kernels reach on the same inputs', () => {
    const model = randomModel(CASES[0][1], 2);
    const random = seededRandom(9);
    const raw = Array.from({ length: STEPS }, () => randomFloats(random, 3, 1));
    const stepper = model.createStepper(1);
    const state = model.createStates(1);
    const output = new Float32Array(model.outputSize);
    for (const row of raw) stepper.step(row, state, 1, output);
    const last = traceGates(model, raw).at(-1)!.layers;
    const top = last[1];
    const offset = model.stateLayout.vectors.find((v) => v.layer === 1)!.offset;
    top.hidden.forEach((v, j) => expect(Math.abs(v - state[offset + j])).toBeLessThan(TOLERANCE));
  });
});
