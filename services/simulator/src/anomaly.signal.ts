import type { SeededRandom } from '@rnnflow/random';

/** A spike moves its feature by this many of the feature's scales, at least and at most. */
const SPIKE_SIZE_RANGE: readonly [number, number] = [6, 10];

/** One injected anomaly: a spike on one feature of one event. */
export interface Anomaly {
  /** Index of the disturbed feature. */
  feature: number;
  /** What the spike added to that feature, in feature units (sign included). */
  delta: number;
}

/**
 * With probability `rate`, a spike of 6–10 scales (random sign) on one feature chosen at
 * random; otherwise undefined. Rare, isolated and large: the outliers an anomaly report marks.
 */
export function drawSpike(
  random: SeededRandom,
  scales: readonly number[],
  rate: number,
): Anomaly | undefined {
  if (rate === 0 || !random.chance(rate)) return undefined;
  const feature = random.below(scales.length);
  const [least, most] = SPIKE_SIZE_RANGE;
  return { feature, delta: random.sign() * random.between(least, most) * scales[feature] };
}
