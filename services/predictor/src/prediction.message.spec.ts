import { describe, expect, it } from 'vitest';
import { encodePrediction } from './prediction.message.js';

describe('encodePrediction', () => {
  it('writes the output contract, keeping float32 values exactly', () => {
    const output = Float32Array.from([0.1, -2.5]);
    const json = encodePrediction({
      key: 'sensor "7"',
      topic: 'events',
      partition: 3,
      offset: 42,
      model: 'default',
      version: 2,
      step: 1,
      output,
      eventTime: 1_700_000_000_000,
    });
    const parsed = JSON.parse(json);
    expect(parsed).toEqual({
      key: 'sensor "7"',
      source: { topic: 'events', partition: 3, offset: 42 },
      model: { name: 'default', version: 2 },
      step: 1,
      output: [output[0], -2.5],
      ts: 1_700_000_000_000,
    });
    expect(Math.fround(parsed.output[0])).toBe(output[0]);
  });

  it('writes exactly what JSON.stringify writes, non-finite outputs and odd keys included', () => {
    const outputs = Float32Array.from([NaN, Infinity, -0, 1e-45, 3.4e38, -1.5e-7, 0.30000001]);
    const prediction = {
      key: 'k\u2028"\\\n😀',
      topic: 'in.events',
      partition: 11,
      offset: 9_007_199_254_740,
      model: 'm "x"',
      version: 12,
      step: 40,
      output: outputs,
      eventTime: 1_700_000_000_123,
    };
    expect(encodePrediction(prediction)).toBe(
      JSON.stringify({
        key: prediction.key,
        source: { topic: prediction.topic, partition: 11, offset: prediction.offset },
        model: { name: prediction.model, version: 12 },
        step: 40,
        output: Array.from(outputs),
        ts: prediction.eventTime,
      }),
    );
  });
});
