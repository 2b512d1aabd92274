import type { BufferedEvent } from './event.buffer.js';
import { requireInteger, TrainingError } from './training.errors.js';
import { allocateWindows, type WindowSet } from './window.set.js';

/** Where windows come from; an {@link EventBuffer} is one. */
export interface EventSource {
  /** Keys in a stable order (windows are emitted key by key in this order). */
  keys(): readonly string[];
  /** A key's events, oldest first. */
  events(key: string): readonly BufferedEvent[];
}

/** How events become labeled windows. */
export interface WindowOptions {
  /** T, steps per window (the truncated-BPTT length, ≥ 1). */
  readonly length: number;
  /** Events between the starts of consecutive windows of a key; default T (no overlap). */
  readonly stride?: number;
  /** I, features per event. */
  readonly inputSize: number;
  /** O, label values per step. */
  readonly outputSize: number;
  /**
   * Feature indices (O of them) forecast from the next event when an event carries no target:
   * the label of step t is `features[t + 1][forecastFeatures[j]]`. Without it, only events
   * with a target are labeled.
   */
  readonly forecastFeatures?: readonly number[];
}

/**
 * The label of each event: its own target when it has one, else the next event's forecast
 * features, else null (the newest event of a forecast has nothing to learn from yet).
 */
export function labelsOf(
  events: readonly BufferedEvent[],
  outputSize: number,
  forecastFeatures?: readonly number[],
): (Float32Array | null)[] {
  return events.map((event, t) => {
    if (event.target) {
      if (event.target.length !== outputSize) {
        throw new TrainingError(
          'TRAINING_SHAPE_MISMATCH',
          `an event target has ${event.target.length} values, the model has ${outputSize} outputs`,
        );
      }
      return event.target;
    }
    const next = events[t + 1];
    if (!forecastFeatures || !next) return null;
    return Float32Array.from(forecastFeatures, (f) => next.features[f]);
  });
}

/**
 * First-event indices of a key's windows: windows end at the newest event and step back by
 * `stride`, so the newest data is always used; a key shorter than T gives one window padded at
 * its end (padding comes after the real steps, so it cannot change their outputs).
 */
export function windowStarts(eventCount: number, length: number, stride: number): number[] {
  if (eventCount === 0) return [];
  const starts: number[] = [];
  for (let s = Math.max(0, eventCount - length); s >= 0; s -= stride) {
    starts.unshift(s);
    if (s === 0) break;
  }
  return starts;
}

function checkOptions(options: WindowOptions): number {
  requireInteger('length', options.length, 1);
  const stride = options.stride ?? options.length;
  requireInteger('stride', stride, 1);
  requireInteger('inputSize', options.inputSize, 1);
  requireInteger('outputSize', options.outputSize, 1);
  const forecast = options.forecastFeatures;
  if (forecast) {
    if (forecast.length !== options.outputSize) {
      throw new TrainingError(
        'TRAINING_BAD_OPTION',
        `forecastFeatures lists ${forecast.length} features for ${options.outputSize} outputs`,
      );
    }
    forecast.forEach((f, j) =>
      requireInteger(`forecastFeatures[${j}]`, f, 0, options.inputSize - 1),
    );
  }
  return stride;
}

interface PendingWindow {
  readonly key: string;
  readonly start: number;
  readonly events: readonly BufferedEvent[];
  readonly labels: readonly (Float32Array | null)[];
}

/**
 * Cuts every key's events into labeled windows of T steps. Windows without any labeled step are
 * left out. Each window is meant to start from a zero state (truncated BPTT).
 * @throws TrainingError `TRAINING_BAD_OPTION`, or `TRAINING_SHAPE_MISMATCH` when an event's
 *   features or target do not have I / O values.
 */
export function buildWindows(source: EventSource, options: WindowOptions): WindowSet {
  const stride = checkOptions(options);
  const { length: T, inputSize: I, outputSize: O } = options;
  const pending: PendingWindow[] = [];
  for (const key of source.keys()) {
    const events = source.events(key);
    const labels = labelsOf(events, O, options.forecastFeatures);
    for (const start of windowStarts(events.length, T, stride)) {
      if (labels.slice(start, start + T).some((label) => label !== null)) {
        pending.push({ key, start, events, labels });
      }
    }
  }
  const set = allocateWindows({ count: pending.length, length: T, inputSize: I, outputSize: O });
  const keys = set.keys as string[];
  pending.forEach((window, n) => {
    keys[n] = window.key;
    set.starts[n] = window.start;
    const steps = Math.min(T, window.events.length - window.start);
    for (let t = 0; t < steps; t++) {
      const event = window.events[window.start + t];
      if (event.features.length !== I) {
        throw new TrainingError(
          'TRAINING_SHAPE_MISMATCH',
          `key ${window.key}: an event has ${event.features.length} features, expected ${I}`,
        );
      }
      set.inputs.set(event.features, (n * T + t) * I);
      const label = window.labels[window.start + t];
      if (label) {
        set.labels.set(label, (n * T + t) * O);
        set.mask[n * T + t] = 1;
      }
    }
  });
  return set;
}
