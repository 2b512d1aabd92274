import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initTrainingBackend } from './training.backend.js';

describe('initTrainingBackend', () => {
  it('selects one backend once, the one tfjs then runs on, explaining what it skipped', async () => {
    const backend = await initTrainingBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend.name);
    expect(tf.getBackend()).toBe(backend.name);
    expect(await initTrainingBackend()).toBe(backend);
    if (backend.name !== 'tensorflow') {
      // Without the optional native packages, each absence is explained for the caller's log.
      expect(backend.skipped.some((s) => s.startsWith('@tensorflow/tfjs-node'))).toBe(true);
    }
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    expect(Array.from(sum)).toEqual([4, 6]);
  });
});
