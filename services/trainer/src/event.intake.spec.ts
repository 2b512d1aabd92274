import { describe, expect, it } from 'vitest';
import { TrainingIntake, type IntakeOptions } from './event.intake.js';
import type { RawRecord } from './input.record.js';

const OPTIONS: IntakeOptions = {
  maxKeys: 10,
  eventsPerKey: 4,
  maxValueBytes: 1000,
  labelFeatures: [0],
  champion: null,
};

function event(key: string, value: unknown, timestamp = 1): RawRecord {
  return {
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    timestamp,
  };
}

describe('TrainingIntake', () => {
  it('sizes the buffer from the first event without a model, and skips events of another size', () => {
    const intake = new TrainingIntake(OPTIONS);
    expect(intake.events).toBeNull();
    const result = intake.accept([
      event('a', { features: [1, 2] }),
      event('a', { features: [1, 2, 3] }),
      event('b', { features: [3, 4], target: [1, 2] }),
      event('b', { features: [5, 6], target: [7] }),
    ]);
    expect(result).toMatchObject({ buffered: 2, skipped: 2, tombstones: 0 });
    expect(result.firstSkip?.reason).toBe('wrong-shape');
    expect(intake.shape).toEqual({ inputSize: 2, outputSize: 1, forecastFeatures: [0] });
    expect(intake.events?.keys()).toEqual(['a', 'b']);
    expect(intake.skipCounts()).toEqual({ 'wrong-shape': 2 });
  });

  it('takes the active model sizes, forgets a key on its tombstone, and counts bad records', () => {
    const intake = new TrainingIntake({ ...OPTIONS, champion: { inputSize: 3, outputSize: 1 } });
    const result = intake.accept([
      event('a', { features: [1, 2, 3], ts: 10 }),
      event('a', { features: [4, 5, 6], ts: 11 }),
      event('b', { features: [1, 1, 1] }),
      event('a', null),
      { key: null, value: Buffer.from('{}'), timestamp: 0 },
      event('c', { features: [1, 2] }),
    ]);
    expect(result).toMatchObject({ buffered: 3, tombstones: 1, skipped: 2 });
    expect(intake.events?.keys()).toEqual(['b']);
    expect(intake.stats()).toMatchObject({ keys: 1, events: 1 });
    expect(intake.skipCounts()).toEqual({ 'missing-key': 1, 'wrong-shape': 1 });
  });

  it('keeps memory bounded: the newest events per key and the most recent keys', () => {
    const intake = new TrainingIntake({ ...OPTIONS, maxKeys: 2, eventsPerKey: 2 });
    intake.accept(['a', 'a', 'a', 'b', 'c'].map((key, t) => event(key, { features: [t, t] }, t)));
    expect(intake.events?.keys()).toEqual(['b', 'c']);
    expect(intake.stats()).toMatchObject({ keys: 2, events: 2, evictedKeys: 1 });
  });
});
