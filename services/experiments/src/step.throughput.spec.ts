import { kerasLayer, RecurrentModel } from '@rnnflow/cells';
import { describe, expect, it } from 'vitest';
import { measureStepThroughput } from './step.throughput.js';

function gruModel(units: number): RecurrentModel {
  const slot = (name: string, shape: number[]) => ({
    name,
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 0.1),
  });
  return RecurrentModel.create({
    architecture: {
      inputSize: 2,
      layers: [kerasLayer('gru', units)],
      head: null,
    },
    weights: [
      slot('layers/0/kernel', [2, 3 * units]),
      slot('layers/0/recurrent_kernel', [units, 3 * units]),
      slot('layers/0/bias', [3 * units]),
    ],
  });
}

describe('measureStepThroughput', () => {
  it('reports key-steps per second, fewer for a bigger model', () => {
    const options = { keys: 64, rounds: 3, roundMs: 20 };
    const small = measureStepThroughput(gruModel(4), options);
    const large = measureStepThroughput(gruModel(256), options);
    expect(Number.isFinite(small)).toBe(true);
    expect(large).toBeGreaterThan(0);
    // 256 units are thousands of times the work of 4 per key. A 4-unit step costs mostly its
    // call, and its rate swings tenfold between runs (128 units once ran only 2.8 times slower,
    // failing this); 256 units ran 8.8–132 times slower in eight runs.
    expect(large).toBeLessThan(small / 4);
  });
});
