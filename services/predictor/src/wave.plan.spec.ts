import { describe, expect, it } from 'vitest';
import type { ParsedRecord } from './input.record.js';
import { planWaves } from './wave.plan.js';

const event = (key: string, offset: number): ParsedRecord => ({
  kind: 'event',
  key,
  offset,
  features: [offset],
  eventTime: 0,
});

describe('planWaves', () => {
  it('puts the k-th event of each key in wave k, keeping each key in offset order', () => {
    const records: ParsedRecord[] = [
      event('a', 0),
      event('b', 1),
      event('a', 2),
      { kind: 'dead-letter', reason: 'not-json', message: 'x' },
      { kind: 'tombstone', key: 'a', offset: 4 },
      event('c', 5),
      event('a', 6),
    ];
    const plan = planWaves(records);
    expect(plan.keys).toEqual(['a', 'b', 'c']);
    expect(Array.from(plan.slotOfRecord)).toEqual([0, 1, 0, -1, 0, 2, 0]);
    expect(plan.waves).toEqual([[0, 1, 5], [2], [4], [6]]);
  });

  it('never puts one key twice in a wave, and loses no record', () => {
    const records = Array.from({ length: 500 }, (_, offset) =>
      event(`k${(offset * 7919) % 13}`, offset),
    );
    const plan = planWaves(records);
    for (const wave of plan.waves) {
      const slots = wave.map((index) => plan.slotOfRecord[index]);
      expect(new Set(slots).size).toBe(slots.length);
    }
    expect(plan.waves.flat().sort((a, b) => a - b)).toEqual(records.map((_, index) => index));
  });

  it('plans an empty batch', () => {
    expect(planWaves([])).toEqual({ keys: [], slotOfRecord: new Int32Array(0), waves: [] });
  });
});
