import { describe, expect, it } from 'vitest';
import { PredictionEncoder, type PredictionBatch } from './prediction.message.js';

const batch: PredictionBatch = { topic: 'in.events', partition: 11, model: 'm "x"', version: 12 };

/** The contract's value, written by JSON.stringify. */
function reference(key: string, offset: number, step: number, output: number[], ts: number) {
  return JSON.stringify({
    key,
    source: { topic: batch.topic, partition: batch.partition, offset },
    model: { name: batch.model, version: batch.version },
    step,
    output,
    ts,
  });
}

describe('PredictionEncoder', () => {
  it('writes the output contract, keeping float32 values exactly', () => {
    const outputs = Float32Array.from([0.1, -2.5]);
    const encoder = new PredictionEncoder(batch, 2, 1);
    const value = encoder.encode({
      key: Buffer.from('sensor-7'),
      offset: 42,
      step: 1,
      outputs,
      row: 0,
      eventTime: 1_700_000_000_000,
    });
    const parsed = JSON.parse(value.toString('utf8'));
    expect(parsed).toEqual({
      key: 'sensor-7',
      source: { topic: 'in.events', partition: 11, offset: 42 },
      model: { name: 'm "x"', version: 12 },
      step: 1,
      output: [outputs[0], -2.5],
      ts: 1_700_000_000_000,
    });
    expect(Math.fround(parsed.output[0])).toBe(outputs[0]);
  });

  it('writes exactly what JSON.stringify writes, non-finite outputs and odd keys included', () => {
    const outputs = Float32Array.from([NaN, Infinity, -0, 1e-45, 3.4e38, -1.5e-7, 0.30000001]);
    const keys = [
      'plain',
      'k\u2028"\\\n😀',
      'tab\there',
      'é',
      'quote"only',
      'back\\slash',
      '\u0000',
    ];
    const encoder = new PredictionEncoder(batch, 1, keys.length);
    keys.forEach((key, row) => {
      const offset = 9_007_199_254_740 + row;
      const ts = row === 3 ? 1_700_000_000_123.5 : 1_700_000_000_123;
      const value = encoder.encode({
        key: Buffer.from(key),
        offset,
        step: 40,
        outputs,
        row,
        eventTime: ts,
      });
      expect(value.toString('utf8')).toBe(reference(key, offset, 40, [outputs[row]], ts));
    });
  });

  it('keeps every value intact when a batch outgrows its first buffer', () => {
    const outputs = new Float32Array(3 * 500).map((_, index) => Math.fround(index / 7));
    const encoder = new PredictionEncoder(batch, 3, 1);
    const values = Array.from({ length: 500 }, (_, row) =>
      encoder.encode({
        key: Buffer.from(`${'"'.repeat(row % 5)}key-${row}-${'x'.repeat(row)}`),
        offset: row,
        step: row + 1,
        outputs,
        row,
        eventTime: row,
      }),
    );
    values.forEach((value, row) => {
      const key = `${'"'.repeat(row % 5)}key-${row}-${'x'.repeat(row)}`;
      const output = Array.from(outputs.subarray(3 * row, 3 * row + 3));
      expect(value.toString('utf8')).toBe(reference(key, row, row + 1, output, row));
    });
  });
});
