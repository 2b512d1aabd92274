import { describe, expect, it } from 'vitest';
import { RecurrentModel, type ModelArchitecture } from '@rnnflow/cells';
import { computeWaves, createKeySlots, type StepModel } from './batch.compute.js';
import type { ParsedRecord } from './input.record.js';
import { planWaves } from './wave.plan.js';

const I = 3;
const U = 4;
const O = 2;
const architecture: ModelArchitecture = {
  inputSize: I,
  layers: [
    { type: 'lstm', units: U, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
  ],
  head: { units: O, activation: 'linear', useBias: true },
};

function randomModel(seed: number): RecurrentModel {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const tensor = (name: string, shape: number[]) => ({
    name,
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random() * 0.5),
  });
  return RecurrentModel.create({
    architecture,
    weights: [
      tensor('layers/0/kernel', [I, 4 * U]),
      tensor('layers/0/recurrent_kernel', [U, 4 * U]),
      tensor('layers/0/bias', [4 * U]),
      tensor('head/kernel', [U, O]),
      tensor('head/bias', [O]),
    ],
  });
}

const model = randomModel(7);
const stepModel = (maxBatch: number): StepModel => ({
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
      const slots = createKeySlots(plan.keys.length, model.stateLayout.floatsPerKey);
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
    const slots = createKeySlots(1, model.stateLayout.floatsPerKey);
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
    const slots = createKeySlots(1, model.stateLayout.floatsPerKey);
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
