/** Synthetic data for tests: seasonal signals per key, as a trainer would buffer them. */
import { EventBuffer } from '../event.buffer.js';
import { seededRandom } from '@rnnflow/random';

export interface SeasonalOptions {
  readonly keys: number;
  readonly eventsPerKey: number;
  /** Events per season. */
  readonly period: number;
  /** Standard-ish deviation of the uniform noise added to every value. */
  readonly noise: number;
  readonly seed: number;
}

/**
 * One feature per event: `sin(2π t / period + phase_k) + noise`, the phase differing per key
 * (so the model must infer it from the history), one event a minute from t = 0.
 */
export function seasonalBuffer(options: SeasonalOptions): EventBuffer {
  const random = seededRandom(options.seed);
  const buffer = new EventBuffer({
    inputSize: 1,
    targetSize: 1,
    maxEventsPerKey: options.eventsPerKey,
    maxKeys: options.keys,
  });
  for (let k = 0; k < options.keys; k++) {
    const phase = (2 * Math.PI * k) / options.keys;
    for (let t = 0; t < options.eventsPerKey; t++) {
      const value =
        Math.sin((2 * Math.PI * t) / options.period + phase) + (random() * 2 - 1) * options.noise;
      buffer.add(`key-${k}`, [value], undefined, t * 60_000);
    }
  }
  return buffer;
}
