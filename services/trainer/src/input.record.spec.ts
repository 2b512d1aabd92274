import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, parseRecord, type RawRecord } from './input.record.js';

function record(key: string | null, value: string | null, timestamp = 5): RawRecord {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp,
  };
}

const reasonOf = (raw: RawRecord, max = 1000) => {
  const parsed = parseRecord(raw, max);
  return parsed.kind === 'skip' ? parsed.reason : parsed.kind;
};

describe('parseRecord', () => {
  it('reads an event with ts and target, or takes the record time without ts', () => {
    expect(parseRecord(record('k', '{"features":[1,2],"ts":77,"target":[3]}'), 1000)).toEqual({
      kind: 'event',
      key: 'k',
      features: [1, 2],
      eventTime: 77,
      target: [3],
    });
    expect(parseRecord(record('k', '{"features":[0.5]}', 42), 1000)).toEqual({
      kind: 'event',
      key: 'k',
      features: [0.5],
      eventTime: 42,
    });
  });

  it('reads a null value as the end of the key sequence', () => {
    expect(parseRecord(record('k', null), 1000)).toEqual({ kind: 'tombstone', key: 'k' });
  });

  it('skips, with a reason, every record outside the contract', () => {
    expect(reasonOf(record(null, '{"features":[1]}'))).toBe('missing-key');
    expect(reasonOf(record('', '{"features":[1]}'))).toBe('missing-key');
    expect(reasonOf(record('k'.repeat(MAX_KEY_BYTES + 1), '{"features":[1]}'))).toBe(
      'key-too-long',
    );
    expect(reasonOf(record('k', '{"features":[1]}'), 5)).toBe('value-too-large');
    expect(reasonOf(record('k', '{features'))).toBe('not-json');
    expect(reasonOf(record('k', '[1,2]'))).toBe('wrong-type');
    expect(reasonOf(record('k', '{"features":[]}'))).toBe('wrong-type');
    expect(reasonOf(record('k', '{"features":[1,"2"]}'))).toBe('wrong-type');
    expect(reasonOf(record('k', '{"features":[1],"ts":"yesterday"}'))).toBe('wrong-type');
    expect(reasonOf(record('k', '{"features":[1],"target":[null]}'))).toBe('wrong-type');
    expect(reasonOf(record('k', '{"features":[1e999]}'))).toBe('not-finite');
    expect(reasonOf(record('k', '{"features":[1],"target":[1e39]}'))).toBe('not-finite');
  });
});
