import { describe, expect, it } from 'vitest';
import type { ReadResult, StateRecord, StateStore } from '@rnnflow/state';
import { changedEntries, slotsFromReads } from './key.slots.js';
import { randomModel } from './testing/model.fixture.js';
import { servingModel } from './serving.model.js';

const store = {} as StateStore;
const v1 = servingModel('m', 1, randomModel(7), store);
const v2 = servingModel('m', 2, randomModel(8), store);
const S = v1.floatsPerKey;

const found = (record: Partial<StateRecord>): ReadResult => ({
  status: 'found',
  source: 'stable',
  record: {
    modelVersion: 1,
    step: 5,
    offset: 40,
    updatedAtMs: 0,
    ended: false,
    vectors: [
      Float32Array.from({ length: 4 }, (_, index) => index / 10),
      Float32Array.from({ length: 4 }, (_, index) => -index / 10),
    ],
    ...record,
  },
});

describe('slotsFromReads', () => {
  it('starts missing, corrupt and ended keys at zero, keeping the offset of an ended one', () => {
    const slots = slotsFromReads(
      [
        { status: 'missing' },
        { status: 'corrupt', reason: 'truncated', message: 'x', reset: true },
        found({ ended: true, vectors: [] }),
      ],
      v1,
      'carry',
    );
    expect(Array.from(slots.states).every((value) => value === 0)).toBe(true);
    expect(Array.from(slots.offsets)).toEqual([-1, -1, 40]);
    expect(Array.from(slots.ended)).toEqual([0, 0, 1]);
    expect(Array.from(slots.steps)).toEqual([0, 0, 0]);
  });

  it('carries a state of the same version under every policy', () => {
    for (const policy of ['carry', 'reset', 'rewarm'] as const) {
      const slots = slotsFromReads([found({})], v1, policy);
      expect(Array.from(slots.states.subarray(0, 4))).toEqual([0, 0.1, 0.2, 0.3].map(Math.fround));
      expect(slots.steps[0]).toBe(5);
    }
  });

  it('keeps, resets or rewarms a state written by another version', () => {
    const recentInputs = [Float32Array.of(1, 2, 3), Float32Array.of(-1, 0.5, 2)];
    const read = found({ modelVersion: 1, recentInputs });
    expect(slotsFromReads([read], v2, 'carry').states.subarray(0, 4)).toEqual(
      Float32Array.from([0, 0.1, 0.2, 0.3]),
    );

    const reset = slotsFromReads([read], v2, 'reset');
    expect(Array.from(reset.states).every((value) => value === 0)).toBe(true);
    expect([reset.steps[0], reset.offsets[0]]).toEqual([0, 40]);

    const rewarmed = slotsFromReads([read], v2, 'rewarm');
    const state = new Float32Array(S);
    const stepper = v2.recurrent.createStepper(1);
    for (const input of recentInputs)
      stepper.step(input, state, 1, new Float32Array(v2.outputSize));
    expect(rewarmed.states).toEqual(state);
    expect(rewarmed.steps[0]).toBe(5);
    expect(rewarmed.recentInputs![0]).toEqual(recentInputs);
  });

  it('carries the recent inputs under any policy when asked to keep them, and not otherwise', () => {
    const recentInputs = [Float32Array.of(1, 2, 3)];
    const read = found({ recentInputs });
    expect(slotsFromReads([read], v1, 'carry').recentInputs).toBeNull();
    expect(slotsFromReads([read], v1, 'carry', true).recentInputs![0]).toEqual(recentInputs);
    expect(slotsFromReads([read], v1, 'reset', true).recentInputs![0]).toEqual(recentInputs);
  });
});

describe('changedEntries', () => {
  it('writes only changed keys, with the last output and, under rewarm, the recent inputs', () => {
    const slots = slotsFromReads(
      [found({ recentInputs: [Float32Array.of(1, 2, 3)] }), found({})],
      v1,
      'rewarm',
    );
    slots.changed[0] = 1;
    slots.outputVersions[0] = 1;
    slots.lastOutputs.set([0.5, 0.25], 0);
    const [entry, ...others] = changedEntries(['a', 'b'], slots, v1, 99);
    expect(others).toEqual([]);
    expect(entry.key).toBe('a');
    expect(entry.record).toMatchObject({
      modelVersion: 1,
      step: 5,
      offset: 40,
      updatedAtMs: 99,
      ended: false,
    });
    expect(entry.record.lastOutput).toEqual(Float32Array.of(0.5, 0.25));
    expect(entry.record.recentInputs).toEqual([Float32Array.of(1, 2, 3)]);
  });
});
