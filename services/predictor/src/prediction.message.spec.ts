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
});
