import { describe, expect, it } from 'vitest';
import { EventSource, type EventSourceOptions } from './event.source.js';

const options: EventSourceOptions = {
  seed: 1,
  features: 3,
  kind: 'mixed',
  anomalyRate: 0,
  regimeShiftRate: 0,
  noise: 0.1,
  keys: 4,
  keyPrefix: 'sensor-',
  target: 'none',
  tombstoneEvery: 0,
};

const records = (opts: EventSourceOptions, n: number) => {
  const source = new EventSource(opts);
  return Array.from({ length: n }, (_, i) => source.next(1_000 + i));
};

const parsed = (value: string | null) => JSON.parse(value ?? 'null') as Record<string, unknown>;

describe('EventSource', () => {
  it('names keys with a zero-padded index and takes them round-robin', () => {
    expect(records(options, 6).map((r) => r.key)).toEqual([
      'sensor-000000',
      'sensor-000001',
      'sensor-000002',
      'sensor-000003',
      'sensor-000000',
      'sensor-000001',
    ]);
    expect(new EventSource({ ...options, keys: 12_345_678 }).keyName(42)).toBe('sensor-00000042');
  });

  it('writes the event contract: features of the configured length and ts, no target by default', () => {
    for (const [i, record] of records(options, 20).entries()) {
      const body = parsed(record.value);
      expect(Object.keys(body).sort()).toEqual(['features', 'ts']);
      expect(body.ts).toBe(1_000 + i);
      expect(body.features).toHaveLength(3);
    }
  });

  it('is the same record stream for the same seed', () => {
    expect(records(options, 50)).toEqual(records(options, 50));
    expect(records({ ...options, seed: 2 }, 50)).not.toEqual(records(options, 50));
  });

  it('with target next, sets each target to feature 0 of the key’s next event', () => {
    const stream = records({ ...options, target: 'next' }, 40);
    for (let i = 0; i + options.keys < stream.length; i += 1) {
      const target = parsed(stream[i].value).target;
      const nextOfKey = parsed(stream[i + options.keys].value).features as number[];
      expect(target).toEqual([nextOfKey[0]]);
    }
  });

  it('ends each key’s sequence with a tombstone after every tombstone-every events', () => {
    const stream = records({ ...options, keys: 2, tombstoneEvery: 3, target: 'next' }, 16);
    const ofKey0 = stream.filter((r) => r.key === 'sensor-000000');
    expect(ofKey0.map((r) => r.value === null)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      true,
    ]);
    // The last event before a tombstone has no next value in its sequence.
    expect(parsed(ofKey0[2].value).target).toBeUndefined();
    expect(parsed(ofKey0[1].value).target).toEqual([
      (parsed(ofKey0[2].value).features as number[])[0],
    ]);
  });

  it('marks records that carry a spike', () => {
    const stream = records({ ...options, anomalyRate: 0.1 }, 2000);
    const marked = stream.filter((r) => r.anomaly !== undefined).length;
    expect(marked).toBeGreaterThan(100);
    expect(marked).toBeLessThan(300);
  });

  it('rejects bad key counts, tombstone intervals and target modes', () => {
    expect(() => new EventSource({ ...options, keys: 0 })).toThrow(/keys/);
    expect(() => new EventSource({ ...options, tombstoneEvery: -1 })).toThrow(/tombstone/);
    expect(() => new EventSource({ ...options, target: 'later' as 'next' })).toThrow(/target/);
  });
});
