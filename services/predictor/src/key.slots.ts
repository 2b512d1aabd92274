import { packKeyState, unpackKeyState } from '@rnnflow/cells';
import type { ReadResult, StateRecord, WriteEntry } from '@rnnflow/state';
import { createKeySlots, type KeySlots } from './batch.compute.js';
import type { ServingModel } from './serving.model.js';

/**
 * What happens to a key's state written by another model version of the same architecture:
 * `carry` keeps it, `reset` starts the key afresh, `rewarm` recomputes it under the new weights
 * from the key's last inputs (kept in its record under this policy, or when asked for). A state written by
 * another architecture never reaches a cell: the store reports it as foreign and it starts afresh.
 */
export type SwapStatePolicy = 'carry' | 'reset' | 'rewarm';

/**
 * Loads the stored states of a batch's keys into slots. A missing or unusable state starts at
 * zero; a state of another model version is carried, reset or rewarmed by `policy`. The slots
 * carry each key's recent inputs when `keepInputs` (always under `rewarm`).
 */
export function slotsFromReads(
  reads: readonly ReadResult[],
  model: ServingModel,
  policy: SwapStatePolicy,
  keepInputs = policy === 'rewarm',
): KeySlots {
  const layout = model.recurrent.stateLayout;
  const slots = createKeySlots(reads.length, model, keepInputs || policy === 'rewarm');
  const rewarm: number[] = [];
  reads.forEach((read, slot) => {
    if (read.status !== 'found') return;
    const { record } = read;
    slots.offsets[slot] = record.offset;
    if (record.ended) {
      slots.ended[slot] = 1;
      return;
    }
    if (record.lastOutput?.length === model.outputSize) {
      slots.lastOutputs.set(record.lastOutput, slot * model.outputSize);
      slots.outputVersions[slot] = record.modelVersion;
    }
    if (slots.recentInputs) slots.recentInputs[slot] = record.recentInputs ?? [];
    const otherVersion = record.modelVersion !== model.version;
    if (otherVersion && policy === 'reset') return;
    slots.steps[slot] = record.step;
    if (otherVersion && policy === 'rewarm') rewarm.push(slot);
    else packKeyState(layout, record.vectors, slots.states, slot);
  });
  if (rewarm.length > 0) rewarmStates(slots, rewarm, model);
  return slots;
}

/** Steps each key's recent inputs through the new weights, from zero state, oldest first. */
function rewarmStates(slots: KeySlots, keys: readonly number[], model: ServingModel): void {
  const { inputSize, floatsPerKey, outputSize, stepper } = model;
  const inputs = new Float32Array(inputSize);
  const state = new Float32Array(floatsPerKey);
  const output = new Float32Array(outputSize);
  for (const slot of keys) {
    state.fill(0);
    for (const row of slots.recentInputs![slot]) {
      inputs.set(row.subarray(0, inputSize));
      stepper.step(inputs, state, 1, output);
    }
    slots.states.set(state, slot * floatsPerKey);
  }
}

/** The state records of the keys a batch changed, ready for the store. */
export function changedEntries(
  keys: readonly string[],
  slots: KeySlots,
  model: ServingModel,
  now: number,
): WriteEntry[] {
  const layout = model.recurrent.stateLayout;
  const entries: WriteEntry[] = [];
  keys.forEach((key, slot) => {
    if (slots.changed[slot] === 0) return;
    const ended = slots.ended[slot] === 1;
    const record: StateRecord = {
      modelVersion: model.version,
      step: slots.steps[slot],
      offset: slots.offsets[slot],
      updatedAtMs: now,
      ended,
      vectors: ended ? [] : unpackKeyState(layout, slots.states, slot),
    };
    if (!ended && slots.outputVersions[slot] !== 0) {
      record.lastOutput = slots.lastOutputs.slice(
        slot * model.outputSize,
        (slot + 1) * model.outputSize,
      );
    }
    if (!ended && slots.recentInputs && slots.recentInputs[slot].length > 0)
      record.recentInputs = slots.recentInputs[slot];
    entries.push({ key, record });
  });
  return entries;
}
