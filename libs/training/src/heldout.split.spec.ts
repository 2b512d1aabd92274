import { describe, expect, it } from 'vitest';
import { EventBuffer } from './event.buffer.js';
import { splitHeldOut } from './heldout.split.js';
import { buildWindows } from './sequence.builder.js';
import { TrainingError } from './training.errors.js';
import type { WindowSet } from './window.set.js';

function windows(keys: number, eventsPerKey: number, stride?: number): WindowSet {
  const buffer = new EventBuffer({
    inputSize: 1,
    targetSize: 1,
    maxEventsPerKey: 1000,
    maxKeys: 1000,
  });
  for (let k = 0; k < keys; k++) {
    for (let t = 0; t < eventsPerKey; t++) buffer.add(`k${k}`, [k * 1000 + t], undefined, t);
  }
  return buildWindows(buffer, {
    length: 4,
    stride,
    inputSize: 1,
    outputSize: 1,
    forecastFeatures: [0],
  });
}

/** Each window's identity: its key and first event. */
function ids(set: WindowSet): string[] {
  return set.keys.map((key, n) => `${key}@${set.starts[n]}`);
}

describe('splitHeldOut', () => {
  it('by time holds out the newest windows of each key', () => {
    const set = windows(3, 40);
    const { train, heldOut } = splitHeldOut(set, { by: 'time', fraction: 0.2 });
    expect(train.count + heldOut.count).toBe(set.count);
    expect(ids(heldOut)).toEqual(['k0@32', 'k0@36', 'k1@32', 'k1@36', 'k2@32', 'k2@36']);
    for (let n = 0; n < train.count; n++) expect(train.starts[n] + 4).toBeLessThanOrEqual(32);
  });

  it('by time drops training windows overlapping held-out steps', () => {
    const set = windows(1, 20, 2);
    const { train, heldOut } = splitHeldOut(set, { by: 'time', fraction: 0.25 });
    const firstHeld = Math.min(...heldOut.starts);
    expect(train.count).toBeGreaterThan(0);
    for (let n = 0; n < train.count; n++)
      expect(train.starts[n] + 4).toBeLessThanOrEqual(firstHeld);
  });

  it('by keys holds out whole keys, disjoint and deterministic for a seed', () => {
    const set = windows(20, 12);
    const split = splitHeldOut(set, { by: 'keys', fraction: 0.25, seed: 5 });
    const heldKeys = new Set(split.heldOut.keys);
    expect(heldKeys.size).toBe(5);
    expect(split.train.keys.some((k) => heldKeys.has(k))).toBe(false);
    expect(split.train.count + split.heldOut.count).toBe(set.count);
    expect(ids(splitHeldOut(set, { by: 'keys', fraction: 0.25, seed: 5 }).heldOut)).toEqual(
      ids(split.heldOut),
    );
    expect(ids(splitHeldOut(set, { by: 'keys', fraction: 0.25, seed: 6 }).heldOut)).not.toEqual(
      ids(split.heldOut),
    );
  });

  it('moves data with its windows', () => {
    const { heldOut } = splitHeldOut(windows(2, 8), { by: 'time', fraction: 0.5 });
    expect(Array.from(heldOut.inputs.subarray(0, 4))).toEqual([4, 5, 6, 7]);
    expect(Array.from(heldOut.labels.subarray(0, 4))).toEqual([5, 6, 7, 0]);
  });

  it('refuses a fraction outside (0, 1)', () => {
    for (const fraction of [0, 1, -0.5, NaN]) {
      expect(() => splitHeldOut(windows(2, 8), { by: 'time', fraction })).toThrow(TrainingError);
    }
  });
});
