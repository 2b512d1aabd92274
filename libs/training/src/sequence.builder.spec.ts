import { describe, expect, it } from 'vitest';
import { EventBuffer } from './event.buffer.js';
import { buildWindows, labelsOf, windowStarts } from './sequence.builder.js';
import { TrainingError } from './training.errors.js';

function buffer(events: { key: string; x: number; y?: number }[]): EventBuffer {
  const b = new EventBuffer({ inputSize: 2, targetSize: 1, maxEventsPerKey: 100, maxKeys: 10 });
  events.forEach((e, t) => b.add(e.key, [e.x, e.x * 10], e.y === undefined ? undefined : [e.y], t));
  return b;
}

const steps = (xs: number[], key = 'a') => xs.map((x) => ({ key, x }));

describe('labels', () => {
  it('uses an event target when given, else the next event forecast features, else nothing', () => {
    const events = buffer([
      { key: 'a', x: 1 },
      { key: 'a', x: 2, y: 99 },
      { key: 'a', x: 3 },
      { key: 'a', x: 4 },
    ]).events('a');
    const labels = labelsOf(events, 1, [1]);
    expect(labels.map((l) => (l ? l[0] : null))).toEqual([20, 99, 40, null]);
    expect(labelsOf(events, 1).map((l) => (l ? l[0] : null))).toEqual([null, 99, null, null]);
  });

  it('refuses a target of the wrong size', () => {
    const events = buffer([{ key: 'a', x: 1, y: 2 }]).events('a');
    expect(() => labelsOf(events, 2)).toThrow(
      expect.objectContaining({ code: 'TRAINING_SHAPE_MISMATCH' }),
    );
  });
});

describe('windowStarts', () => {
  it('ends the last window at the newest event and steps back by stride', () => {
    expect(windowStarts(10, 4, 4)).toEqual([2, 6]);
    expect(windowStarts(10, 4, 2)).toEqual([0, 2, 4, 6]);
    expect(windowStarts(3, 4, 4)).toEqual([0]);
    expect(windowStarts(0, 4, 4)).toEqual([]);
  });
});

describe('buildWindows', () => {
  it('packs inputs and next-step labels; the last event of a key is unlabeled', () => {
    const set = buildWindows(buffer(steps([1, 2, 3, 4, 5, 6])), {
      length: 3,
      inputSize: 2,
      outputSize: 1,
      forecastFeatures: [0],
    });
    expect(set.count).toBe(2);
    expect(Array.from(set.inputs)).toEqual([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60]);
    expect(Array.from(set.labels)).toEqual([2, 3, 4, 5, 6, 0]);
    expect(Array.from(set.mask)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(set.keys).toEqual(['a', 'a']);
    expect(Array.from(set.starts)).toEqual([0, 3]);
  });

  it('pads a short key after its real steps, masked out', () => {
    const set = buildWindows(buffer(steps([1, 2])), {
      length: 4,
      inputSize: 2,
      outputSize: 1,
      forecastFeatures: [0],
    });
    expect(set.count).toBe(1);
    expect(Array.from(set.inputs)).toEqual([1, 10, 2, 20, 0, 0, 0, 0]);
    expect(Array.from(set.mask)).toEqual([1, 0, 0, 0]);
  });

  it('leaves out windows with no labeled step', () => {
    const set = buildWindows(buffer([...steps([1]), ...steps([5, 6], 'b')]), {
      length: 2,
      inputSize: 2,
      outputSize: 1,
      forecastFeatures: [0],
    });
    expect(set.keys).toEqual(['b']);
  });

  it('refuses inconsistent options', () => {
    const source = buffer(steps([1, 2]));
    const base = { length: 2, inputSize: 2, outputSize: 1 };
    expect(() => buildWindows(source, { ...base, forecastFeatures: [0, 1] })).toThrow(
      TrainingError,
    );
    expect(() => buildWindows(source, { ...base, forecastFeatures: [2] })).toThrow(TrainingError);
    expect(() => buildWindows(source, { ...base, length: 0 })).toThrow(TrainingError);
  });
});
