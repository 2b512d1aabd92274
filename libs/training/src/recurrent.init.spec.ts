import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockOrthogonal } from './recurrent.init.js';
import { initTrainingBackend } from './training.backend.js';

describe('blockOrthogonal', () => {
  beforeAll(async () => {
    await initTrainingBackend();
  });

  it('gives one orthogonal block per gate, reproducible for a seed', () => {
    const before = tf.memory().numTensors;
    const matrix = blockOrthogonal(6, 3, 42);
    expect(matrix.shape).toEqual([6, 18]);
    for (let g = 0; g < 3; g++) {
      const identity = tf.tidy(() => {
        const block = matrix.slice([0, g * 6], [6, 6]);
        return tf.matMul(block, block, true, false).arraySync() as number[][];
      });
      identity.forEach((row, i) =>
        row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 5)),
      );
    }
    const again = blockOrthogonal(6, 3, 42);
    expect(again.dataSync()).toEqual(matrix.dataSync());
    tf.dispose([matrix, again]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
