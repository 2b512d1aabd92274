import type { BatchStepper } from '@rnnflow/cells';
import type { ParsedRecord } from './input.record.js';
import type { WavePlan } from './wave.plan.js';

/** The model as the computation needs it: sizes and a stepper (not shared with anyone else). */
export interface StepModel {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly floatsPerKey: number;
  readonly stepper: BatchStepper;
}

/**
 * The state of every distinct key of a batch, by slot (a key's index in `WavePlan.keys`),
 * loaded from the store before the batch and written back after it.
 */
export interface KeySlots {
  /** `K × floatsPerKey` packed states. */
  states: Float32Array;
  /** Events applied to the key so far. */
  steps: Float64Array;
  /** Offset of the last record applied to the key, -1 when none. */
  offsets: Float64Array;
  /** 1 when the last record applied was a tombstone. */
  ended: Uint8Array;
  /** 1 when this batch applied a record to the key: only those states are written. */
  changed: Uint8Array;
}

export function createKeySlots(keyCount: number, floatsPerKey: number): KeySlots {
  return {
    states: new Float32Array(keyCount * floatsPerKey),
    steps: new Float64Array(keyCount),
    offsets: new Float64Array(keyCount).fill(-1),
    ended: new Uint8Array(keyCount),
    changed: new Uint8Array(keyCount),
  };
}

/** One prediction of the batch: the record it answers, the key's step, and its output row. */
export interface ComputedPrediction {
  recordIndex: number;
  step: number;
  /** Index of the row in `WaveResult.outputs` (`outputSize` floats). */
  row: number;
}

export interface WaveResult {
  predictions: ComputedPrediction[];
  /** `predictions.length × outputSize` floats. */
  outputs: Float32Array;
  /** Records skipped because the stored state had already applied them (a replay). */
  replayed: number;
}

/**
 * Applies a batch to its keys' states, wave by wave: each wave is one stepper call over the
 * keys that have a k-th record. A record at or below a key's stored offset was applied before
 * a crash and is skipped, which keeps a replay from stepping a key twice.
 */
export function computeWaves(
  records: readonly ParsedRecord[],
  plan: WavePlan,
  slots: KeySlots,
  model: StepModel,
): WaveResult {
  const { inputSize, outputSize, floatsPerKey, stepper } = model;
  const maxBatch = stepper.maxBatch;
  const inputs = new Float32Array(maxBatch * inputSize);
  const waveStates = new Float32Array(maxBatch * floatsPerKey);
  const waveOutputs = new Float32Array(maxBatch * outputSize);
  const members = new Int32Array(maxBatch);
  const predictions: ComputedPrediction[] = [];
  const outputs = new Float32Array(countEvents(records) * outputSize);
  let replayed = 0;

  const flush = (count: number) => {
    stepper.step(inputs, waveStates, count, waveOutputs);
    for (let member = 0; member < count; member += 1) {
      const recordIndex = members[member];
      const slot = plan.slotOfRecord[recordIndex];
      slots.states.set(
        waveStates.subarray(member * floatsPerKey, (member + 1) * floatsPerKey),
        slot * floatsPerKey,
      );
      slots.steps[slot] += 1;
      const row = predictions.length;
      outputs.set(
        waveOutputs.subarray(member * outputSize, (member + 1) * outputSize),
        row * outputSize,
      );
      predictions.push({ recordIndex, step: slots.steps[slot], row });
    }
  };

  for (const wave of plan.waves) {
    let count = 0;
    for (const recordIndex of wave) {
      const record = records[recordIndex];
      if (record.kind === 'dead-letter') continue;
      const slot = plan.slotOfRecord[recordIndex];
      if (record.offset <= slots.offsets[slot]) {
        replayed += 1;
        continue;
      }
      slots.offsets[slot] = record.offset;
      slots.changed[slot] = 1;
      if (record.kind === 'tombstone') {
        slots.states.fill(0, slot * floatsPerKey, (slot + 1) * floatsPerKey);
        slots.steps[slot] = 0;
        slots.ended[slot] = 1;
        continue;
      }
      slots.ended[slot] = 0;
      inputs.set(record.features, count * inputSize);
      waveStates.set(
        slots.states.subarray(slot * floatsPerKey, (slot + 1) * floatsPerKey),
        count * floatsPerKey,
      );
      members[count] = recordIndex;
      count += 1;
      if (count === maxBatch) {
        flush(count);
        count = 0;
      }
    }
    if (count > 0) flush(count);
  }
  return { predictions, outputs: outputs.subarray(0, predictions.length * outputSize), replayed };
}

function countEvents(records: readonly ParsedRecord[]): number {
  let events = 0;
  for (const record of records) if (record.kind === 'event') events += 1;
  return events;
}
