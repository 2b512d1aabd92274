import { describe, expect, it } from 'vitest';
import { randomModel } from './testing/model.fixture.js';
import { computeWaves, createKeySlots, type StepModel } from './batch.compute.js';
import type { ParsedRecord } from './input.record.js';
import { planWaves } from './wave.plan.js';

const { I, O } = { I: 3, O: 2 };
const model = randomModel(7);
const stepModel = (maxBatch: number): StepModel => ({
  version: 1,
  inputSize: I,
  outputSize: O,
  floatsPerKey: model.stateLayout.floatsPerKey,
  stepper: model.createStepper(maxBatch),
});
const event = (key: string, offset: number): ParsedRecord => ({
  kind: 'event',
  key,
  offset,
  features: [Math.sin(offset), Math.cos(offset * 0.3), key.length],
  eventTime: offset,
});

/** Reference: one key's sequence stepped alone, one event per call. */
function stepAlone(records: ParsedRecord[]): number[][] {
  const stepper = model.createStepper(1);
  const state = model.createStates(1);
  const output = new Float32Array(O);
  return records.map((record) => {
    if (record.kind !== 'event') throw new Error('events only');
    stepper.step(Float32Array.from(record.features), state, 1, output);
    return Array.from(output);
  });
}

describe('computeWaves', () => {
  const records = Array.from({ length: 60 }, (_, offset) =>
    event(`key-${(offset * 31) % 7}`, offset),
  );

  it.each([1, 3, 64])(
    'gives every key the outputs of stepping it alone (stepper batches of %i)',
    (maxBatch) => {
      const plan = planWaves(records);
      const slots = createKeySlots(plan.keys.length, stepModel(1));
      const result = computeWaves(records, plan, slots, stepModel(maxBatch));
      expect(result.predictions).toHaveLength(records.length);
      for (const key of plan.keys) {
        const own = records.filter((record) => record.kind === 'event' && record.key === key);
        const computed = result.predictions
          .filter((prediction) => own.includes(records[prediction.recordIndex]))
          .map((prediction) =>
            Array.from(result.outputs.subarray(prediction.row * O, (prediction.row + 1) * O)),
          );
        expect(computed).toEqual(stepAlone(own));
        expect(
          result.predictions.filter((p) => own.includes(records[p.recordIndex])).map((p) => p.step),
        ).toEqual(own.map((_, index) => index + 1));
      }
    },
  );

  it('skips records the stored state already applied, and steps on from that state', () => {
    const own = records.filter((record) => record.kind === 'event' && record.key === 'key-0');
    const plan = planWaves(own);
    const slots = createKeySlots(1, stepModel(1));
    computeWaves(own.slice(0, 3), planWaves(own.slice(0, 3)), slots, stepModel(4));
    slots.changed.fill(0);
    const replay = computeWaves(own, plan, slots, stepModel(4));
    expect(replay.replayed).toBe(3);
    expect(replay.predictions.map((prediction) => prediction.step)).toEqual(
      own.slice(3).map((_, index) => index + 4),
    );
    const lastRow = replay.predictions.length - 1;
    expect(Array.from(replay.outputs.subarray(lastRow * O))).toEqual(stepAlone(own).at(-1));
    expect(slots.offsets[0]).toBe((own.at(-1) as { offset: number }).offset);
  });

  it('starts a key again from zero state at step 1 after a tombstone, and marks it ended', () => {
    const sequence: ParsedRecord[] = [
      event('a', 0),
      event('a', 1),
      { kind: 'tombstone', key: 'a', offset: 2 },
      event('a', 3),
    ];
    const plan = planWaves(sequence);
    const slots = createKeySlots(1, stepModel(1));
    const result = computeWaves(sequence, plan, slots, stepModel(8));
    expect(result.predictions.map((prediction) => prediction.step)).toEqual([1, 2, 1]);
    expect(Array.from(result.outputs.subarray(2 * O))).toEqual(stepAlone([sequence[3]])[0]);
    expect(slots.ended[0]).toBe(0);

    const ending = computeWaves(
      [event('a', 4), { kind: 'tombstone', key: 'a', offset: 5 }],
      planWaves([event('a', 4), { kind: 'tombstone', key: 'a', offset: 5 }]),
      slots,
      stepModel(8),
    );
    expect(ending.predictions).toHaveLength(1);
    expect(slots.ended[0]).toBe(1);
    expect(slots.steps[0]).toBe(0);
    expect(slots.offsets[0]).toBe(5);
    expect(Array.from(slots.states).every((value) => value === 0)).toBe(true);
  });
});

describe('online quality', () => {
  it('scores each forecast against the next event of its key, and a target at once', () => {
    const sequence: ParsedRecord[] = [
      event('a', 0),
      event('a', 1),
      { ...event('a', 2), target: [0.5, -0.5] } as ParsedRecord,
    ];
    const slots = createKeySlots(1, stepModel(1));
    const result = computeWaves(sequence, planWaves(sequence), slots, stepModel(4), {
      labelFeatures: [0, 1],
      recentWindow: 0,
    });
    const outputs = stepAlone(sequence);
    const features = sequence.map((record) => (record as { features: number[] }).features);
    const forecast = (step: number) =>
      (Math.abs(Math.fround(outputs[step][0]) - features[step + 1][0]) +
        Math.abs(outputs[step][1] - features[step + 1][1])) /
      2;
    const target = (Math.abs(outputs[2][0] - 0.5) + Math.abs(outputs[2][1] + 0.5)) / 2;
    expect(result.errors.byVersion.get(1)).toEqual(
      [forecast(0), forecast(1), target].map((value) => expect.closeTo(value, 12)),
    );
    expect(Array.from(slots.lastOutputs)).toEqual(outputs[2].map(Math.fround));
  });

  it('keeps the last inputs of each key when asked, up to the window', () => {
    const sequence = [event('a', 0), event('a', 1), event('a', 2)];
    const slots = createKeySlots(1, stepModel(1), true);
    computeWaves(sequence, planWaves(sequence), slots, stepModel(4), {
      labelFeatures: null,
      recentWindow: 2,
    });
    expect(slots.recentInputs![0].map((row) => Array.from(row))).toEqual(
      [sequence[1], sequence[2]].map((record) =>
        (record as { features: number[] }).features.map(Math.fround),
      ),
    );
  });
});
