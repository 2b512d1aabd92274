import type { BatchStepper } from '@rnnflow/cells';
import type { ParsedRecord } from './input.record.js';
import { ErrorsByVersion, forecastError, targetError } from './online.quality.js';
import type { WavePlan } from './wave.plan.js';

/** The model as the computation needs it: sizes and a stepper (not shared with anyone else). */
export interface StepModel {
  readonly version: number;
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
  /** `K × outputSize`: each key's last output, scored when its next event arrives. */
  lastOutputs: Float32Array;
  /** Model version that made the last output; 0 when the key has none. */
  outputVersions: Float64Array;
  /** Each key's last inputs, oldest first, kept only under the `rewarm` swap policy. */
  recentInputs: Float32Array[][] | null;
}

export function createKeySlots(
  keyCount: number,
  model: { floatsPerKey: number; outputSize: number },
  keepInputs = false,
): KeySlots {
  return {
    states: new Float32Array(keyCount * model.floatsPerKey),
    steps: new Float64Array(keyCount),
    offsets: new Float64Array(keyCount).fill(-1),
    ended: new Uint8Array(keyCount),
    changed: new Uint8Array(keyCount),
    lastOutputs: new Float32Array(keyCount * model.outputSize),
    outputVersions: new Float64Array(keyCount),
    recentInputs: keepInputs ? Array.from({ length: keyCount }, () => []) : null,
  };
}

export interface ComputeOptions {
  /** Feature indices the outputs forecast at the next event; null turns forecast scoring off. */
  labelFeatures: readonly number[] | null;
  /** How many recent inputs to keep per key (rewarm policy); 0 keeps none. */
  recentWindow: number;
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
  /** Online errors of the predictions this batch could score. */
  errors: ErrorsByVersion;
}

type Event = Extract<ParsedRecord, { kind: 'event' }>;

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
  options: ComputeOptions = { labelFeatures: null, recentWindow: 0 },
): WaveResult {
  const { inputSize, outputSize, floatsPerKey, stepper } = model;
  // A wave holds each key at most once: buffers sized by the batch's keys, not the stepper's maximum.
  const maxBatch = Math.min(stepper.maxBatch, plan.keys.length);
  const inputs = new Float32Array(maxBatch * inputSize);
  const waveStates = new Float32Array(maxBatch * floatsPerKey);
  const waveOutputs = new Float32Array(maxBatch * outputSize);
  const members = new Int32Array(maxBatch);
  const predictions: ComputedPrediction[] = [];
  const outputs = new Float32Array(countEvents(records) * outputSize);
  const errors = new ErrorsByVersion();
  const scoring: Scoring = { outputSize, labelFeatures: options.labelFeatures, errors };
  let replayed = 0;

  const flush = (count: number) => {
    stepper.step(inputs, waveStates, count, waveOutputs);
    for (let member = 0; member < count; member += 1) {
      const recordIndex = members[member];
      const slot = plan.slotOfRecord[recordIndex];
      const record = records[recordIndex] as Event;
      slots.states.set(
        waveStates.subarray(member * floatsPerKey, (member + 1) * floatsPerKey),
        slot * floatsPerKey,
      );
      slots.steps[slot] += 1;
      const output = waveOutputs.subarray(member * outputSize, (member + 1) * outputSize);
      if (record.target) errors.add(model.version, targetError(output, record.target));
      slots.lastOutputs.set(output, slot * outputSize);
      slots.outputVersions[slot] = model.version;
      const row = predictions.length;
      outputs.set(output, row * outputSize);
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
        endKey(slots, slot, floatsPerKey);
        continue;
      }
      slots.ended[slot] = 0;
      scorePrevious(slots, slot, record, scoring);
      rememberInput(slots, slot, record.features, options.recentWindow);
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
  return {
    predictions,
    outputs: outputs.subarray(0, predictions.length * outputSize),
    replayed,
    errors,
  };
}

function endKey(slots: KeySlots, slot: number, floatsPerKey: number): void {
  slots.states.fill(0, slot * floatsPerKey, (slot + 1) * floatsPerKey);
  slots.steps[slot] = 0;
  slots.ended[slot] = 1;
  slots.outputVersions[slot] = 0;
  if (slots.recentInputs) slots.recentInputs[slot] = [];
}

/** What scoring a forecast needs, the same for every event of a batch (built once per batch). */
interface Scoring {
  readonly outputSize: number;
  readonly labelFeatures: readonly number[] | null;
  readonly errors: ErrorsByVersion;
}

/** Scores the key's previous forecast against this event's label features. */
function scorePrevious(slots: KeySlots, slot: number, record: Event, scoring: Scoring): void {
  const { outputSize, labelFeatures, errors } = scoring;
  const version = slots.outputVersions[slot];
  if (labelFeatures === null || version === 0) return;
  errors.add(
    version,
    forecastError(
      slots.lastOutputs.subarray(slot * outputSize, (slot + 1) * outputSize),
      record.features,
      labelFeatures,
    ),
  );
}

function rememberInput(
  slots: KeySlots,
  slot: number,
  features: readonly number[],
  window: number,
): void {
  if (slots.recentInputs === null || window === 0) return;
  const recent = slots.recentInputs[slot];
  recent.push(Float32Array.from(features));
  if (recent.length > window) recent.shift();
}

function countEvents(records: readonly ParsedRecord[]): number {
  let events = 0;
  for (const record of records) if (record.kind === 'event') events += 1;
  return events;
}
