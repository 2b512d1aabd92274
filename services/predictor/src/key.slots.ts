import { packKeyState, unpackKeyState } from '@rnnflow/cells';
import type { ReadResult, StateRecord, WriteEntry } from '@rnnflow/state';
import { createKeySlots, type KeySlots } from './batch.compute.js';
import type { ServingModel } from './serving.model.js';

/** Loads the stored states of a batch's keys into slots; a missing or corrupt state starts at zero. */
export function slotsFromReads(reads: readonly ReadResult[], model: ServingModel): KeySlots {
  const layout = model.recurrent.stateLayout;
  const slots = createKeySlots(reads.length, layout.floatsPerKey);
  reads.forEach((read, slot) => {
    if (read.status !== 'found') return;
    const { record } = read;
    slots.offsets[slot] = record.offset;
    if (record.ended) {
      slots.ended[slot] = 1;
      return;
    }
    slots.steps[slot] = record.step;
    packKeyState(layout, record.vectors, slots.states, slot);
  });
  return slots;
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
    entries.push({ key, record });
  });
  return entries;
}
