import type { Anomaly } from './anomaly.signal.js';
import {
  createKeySignal,
  type KeySignal,
  type SignalOptions,
  type SignalSample,
} from './key.signal.js';
import { SimulatorOptionError } from './simulator.errors.js';

/** What an event's optional `target` holds: nothing, or the key's next value of feature 0. */
export const TARGET_MODES = ['none', 'next'] as const;
export type TargetMode = (typeof TARGET_MODES)[number];

/** Options of {@link EventSource}: the signals plus how they become records. */
export interface EventSourceOptions extends SignalOptions {
  /** Distinct entity keys, ≥ 1. */
  keys: number;
  /** Key names are this prefix and the zero-padded key index, e.g. `sensor-000123`. */
  keyPrefix: string;
  /** `next` adds `"target": [x]`, x = feature 0 of the key's next event; `none` leaves it out. */
  target: TargetMode;
  /** After every this many events of a key, one tombstone (null value) ends its sequence; 0 never. */
  tombstoneEvery: number;
}

/** One record to produce. */
export interface SimulatedRecord {
  /** Entity id, e.g. `sensor-000123`. */
  key: string;
  /** Event JSON `{"features":[…],"ts":…,"target"?:[…]}`, or null for a tombstone. */
  value: string | null;
  /** Set when the event carries an injected spike. */
  anomaly?: Anomaly;
}

/** Feature values are rounded to this many decimals: the predictor reads float32 anyway. */
const DECIMALS = 1e5;
const MIN_KEY_DIGITS = 6;

/**
 * Turns the key signals into records, keys taken in round-robin order (record i belongs to key
 * i mod keys), so every key gets the same share of the rate. A key's signal carries on across
 * its tombstones: the next sequence starts where the last one stopped.
 */
export class EventSource {
  private readonly signals: KeySignal[] = [];
  /** With `target: 'next'`, each key's already drawn next sample. */
  private readonly lookahead: (SignalSample | undefined)[] = [];
  private readonly eventsSinceTombstone: number[] = [];
  private readonly keyDigits: number;
  private position = 0;

  constructor(private readonly options: EventSourceOptions) {
    const { keys, tombstoneEvery, target } = options;
    if (!Number.isSafeInteger(keys) || keys < 1) {
      throw new SimulatorOptionError(`keys must be a whole number ≥ 1, got ${keys}`);
    }
    if (!Number.isSafeInteger(tombstoneEvery) || tombstoneEvery < 0) {
      throw new SimulatorOptionError(
        `tombstone-every must be 0 or more events, got ${tombstoneEvery}`,
      );
    }
    if (!TARGET_MODES.includes(target)) {
      throw new SimulatorOptionError(`target must be ${TARGET_MODES.join(' or ')}, got ${target}`);
    }
    this.keyDigits = Math.max(MIN_KEY_DIGITS, String(keys - 1).length);
  }

  /** The name of key number `index`. */
  keyName(index: number): string {
    return this.options.keyPrefix + String(index).padStart(this.keyDigits, '0');
  }

  /** The next record; `ts` is its event time, epoch ms. */
  next(ts: number): SimulatedRecord {
    const keyIndex = this.position % this.options.keys;
    this.position += 1;
    const key = this.keyName(keyIndex);
    const { tombstoneEvery } = this.options;
    if (tombstoneEvery > 0 && this.eventsSinceTombstone[keyIndex] === tombstoneEvery) {
      this.eventsSinceTombstone[keyIndex] = 0;
      return { key, value: null };
    }
    const inSequence = (this.eventsSinceTombstone[keyIndex] ?? 0) + 1;
    this.eventsSinceTombstone[keyIndex] = inSequence;
    // The last event of a sequence has no next value within it, so no target.
    const endsSequence = tombstoneEvery > 0 && inSequence === tombstoneEvery;
    const sample = this.sampleOf(keyIndex);
    const event: { features: number[]; ts: number; target?: number[] } = {
      features: sample.features.map(round),
      ts,
    };
    if (this.options.target === 'next' && !endsSequence) {
      const next = this.signalOf(keyIndex).next();
      this.lookahead[keyIndex] = next;
      event.target = [round(next.features[0])];
    }
    const value = JSON.stringify(event);
    return sample.anomaly === undefined ? { key, value } : { key, value, anomaly: sample.anomaly };
  }

  private sampleOf(keyIndex: number): SignalSample {
    const pending = this.lookahead[keyIndex];
    if (pending === undefined) return this.signalOf(keyIndex).next();
    this.lookahead[keyIndex] = undefined;
    return pending;
  }

  private signalOf(keyIndex: number): KeySignal {
    // Created on first use: a run with a million keys and a short duration touches few of them.
    this.signals[keyIndex] ??= createKeySignal(this.options, keyIndex);
    return this.signals[keyIndex];
  }
}

function round(value: number): number {
  return Math.round(value * DECIMALS) / DECIMALS;
}
