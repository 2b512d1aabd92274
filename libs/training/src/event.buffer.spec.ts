import { describe, expect, it } from 'vitest';
import { EventBuffer } from './event.buffer.js';
import { TrainingError } from './training.errors.js';

const bounds = { inputSize: 2, targetSize: 1, maxEventsPerKey: 3, maxKeys: 2 };

function times(buffer: EventBuffer, key: string): number[] {
  return buffer.events(key).map((e) => e.eventTime);
}

describe('EventBuffer', () => {
  it('keeps the newest maxEventsPerKey events of a key, oldest first', () => {
    const buffer = new EventBuffer(bounds);
    for (let t = 1; t <= 10; t++) buffer.add('a', [t, -t], t % 2 ? [t] : undefined, t);
    expect(times(buffer, 'a')).toEqual([8, 9, 10]);
    expect(buffer.events('a').map((e) => e.target?.[0] ?? null)).toEqual([null, 9, null]);
    expect(Array.from(buffer.events('a')[0].features)).toEqual([8, -8]);
    expect(buffer.stats()).toEqual({ keys: 1, events: 3, evictedKeys: 0, droppedEvents: 7 });
  });

  it('evicts the least recently updated key beyond maxKeys', () => {
    const buffer = new EventBuffer(bounds);
    buffer.add('a', [0, 0], undefined, 1);
    buffer.add('b', [0, 0], undefined, 2);
    buffer.add('a', [0, 0], undefined, 3); // a is now more recent than b
    buffer.add('c', [0, 0], undefined, 4);
    expect(buffer.keys()).toEqual(['a', 'c']);
    expect(buffer.stats()).toEqual({ keys: 2, events: 3, evictedKeys: 1, droppedEvents: 1 });
  });

  it('evicts least recently updated keys to stay within maxTotalEvents', () => {
    const buffer = new EventBuffer({ ...bounds, maxKeys: 10, maxTotalEvents: 4 });
    for (let t = 0; t < 3; t++) buffer.add('a', [t, t], undefined, t);
    buffer.add('b', [0, 0], undefined, 9);
    expect(buffer.stats().events).toBe(4);
    buffer.add('b', [1, 1], undefined, 10);
    expect(buffer.keys()).toEqual(['b']);
    expect(buffer.stats()).toEqual({ keys: 1, events: 2, evictedKeys: 1, droppedEvents: 3 });
  });

  it('forgets a key on reset (tombstone) without counting an eviction', () => {
    const buffer = new EventBuffer(bounds);
    buffer.add('a', [1, 1], [1], 1);
    expect(buffer.reset('a')).toBe(true);
    expect(buffer.reset('a')).toBe(false);
    expect(buffer.events('a')).toEqual([]);
    expect(buffer.stats()).toEqual({ keys: 0, events: 0, evictedKeys: 0, droppedEvents: 0 });
  });

  it('refuses malformed events and stays unchanged', () => {
    const buffer = new EventBuffer(bounds);
    const bad = [
      () => buffer.add('a', [1], undefined, 1),
      () => buffer.add('a', [1, NaN], undefined, 1),
      () => buffer.add('a', [1, 2], [1, 2], 1),
      () => buffer.add('a', [1, 2], [1e39], 1),
      () => buffer.add('a', [1, 2], undefined, NaN),
    ];
    for (const add of bad) {
      expect(add).toThrow(TrainingError);
      expect(add).toThrow(expect.objectContaining({ code: 'TRAINING_BAD_EVENT' }));
    }
    expect(buffer.stats().events).toBe(0);
  });

  it('refuses bounds that cannot work', () => {
    expect(() => new EventBuffer({ ...bounds, maxEventsPerKey: 1 })).toThrow(TrainingError);
    expect(() => new EventBuffer({ ...bounds, maxTotalEvents: 2 })).toThrow(TrainingError);
    expect(() => new EventBuffer({ ...bounds, maxKeys: 0 })).toThrow(TrainingError);
  });
});
