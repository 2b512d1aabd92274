import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTrainingBackend } from './training.backend.js';

/** Runs `op` on a [2, 5, 3, 4] tensor of distinct values on one backend and reads every result. */
async function on(backend: string, op: (x: tf.Tensor) => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.range(0, 120).reshape([2, 5, 3, 4]);
    const out = op(x);
    return (Array.isArray(out) ? out : [out]).map((t) => ({
      shape: t.shape,
      values: t.arraySync(),
    }));
  });
}

const CASES: Record<string, (x: tf.Tensor) => tf.Tensor | tf.Tensor[]> = {
  'slice along the first axis': (x) => tf.slice(x, [1], [1]),
  'slice of inner axes': (x) => tf.slice(x, [0, 1, 1, 1], [2, 3, 2, 2]),
  'slice of trailing whole axes': (x) => tf.slice(x, [1, 2, 0, 0], [1, 2, 3, 4]),
  'slice to the end (size -1)': (x) => tf.slice(x, [0, 3, 1, 0], [-1, -1, -1, 3]),
  'empty slice': (x) => tf.slice(x, [0, 0, 0, 0], [2, 0, 3, 4]),
  'slice of a 1-D tensor': (x) => tf.slice(x.reshape([120]), [17], [40]),
  'unstack along axis 0': (x) => tf.unstack(x, 0),
  'unstack along axis 1 (time in a batch-major RNN)': (x) => tf.unstack(x, 1),
  'unstack along the last axis': (x) => tf.unstack(x, -1),
  'split in equal parts': (x) => tf.split(x, 2, 3),
  'split in given sizes': (x) => tf.split(x, [1, 3, 1], 1),
  'unstack of int32': (x) => tf.unstack(x.cast('int32'), 2),
};

describe('wasm Slice, Unpack and SplitV kernels', () => {
  beforeAll(async () => {
    await initTrainingBackend();
  });

  it.each(Object.keys(CASES))('%s equals the cpu backend', async (name) => {
    const selected = tf.getBackend();
    const expected = await on('cpu', CASES[name]);
    const actual = await on(selected, CASES[name]);
    await tf.setBackend(selected);
    expect(actual).toEqual(expected);
  });

  it('keeps gradients through an unstack exact', async () => {
    const selected = tf.getBackend();
    const gradient = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.range(0, 24).reshape([2, 3, 4]);
        const f = (t: tf.Tensor) => tf.addN(tf.unstack(t, 1).map((s, i) => tf.mul(s, i + 1)));
        return tf.grad(f)(x).arraySync();
      });
    };
    const expected = await gradient('cpu');
    expect(await gradient(selected)).toEqual(expected);
    await tf.setBackend(selected);
  });
});
