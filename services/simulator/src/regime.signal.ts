import type { SeededRandom } from '@rnnflow/random';

/** A level shift moves each feature by this many of its scales, at least and at most. */
const REGIME_SHIFT_RANGE: readonly [number, number] = [1.5, 3];
/** Noise multiplier of a regime, drawn log-uniformly between these bounds. */
const REGIME_NOISE_RANGE: readonly [number, number] = [0.5, 3];
/** Offsets beyond this many scales shift back towards 0, so levels stay bounded. */
const MAX_OFFSET_SCALES = 3;

/**
 * Piecewise-constant regimes: on each event, with probability `shiftRate`, the key enters a
 * new regime with another level offset per feature and another noise multiplier. Each shift
 * moves every level by 1.5–3 scales, so a shift is always visible above the noise.
 */
export class RegimeProcess {
  /** Regime number: 0 at start, +1 on every shift. */
  index = 0;
  /** Added to each feature, in feature units. */
  readonly offsets: number[];
  /** Multiplies the observation noise; 1 in the first regime. */
  noiseScale = 1;

  constructor(
    private readonly random: SeededRandom,
    private readonly scales: readonly number[],
    private readonly shiftRate: number,
  ) {
    this.offsets = scales.map(() => 0);
  }

  /** Moves one event forward; returns true when a new regime starts with this event. */
  advance(): boolean {
    if (this.shiftRate === 0 || !this.random.chance(this.shiftRate)) return false;
    this.index += 1;
    const [least, most] = REGIME_SHIFT_RANGE;
    for (let f = 0; f < this.offsets.length; f += 1) {
      const scale = this.scales[f];
      const offset = this.offsets[f];
      const bound = MAX_OFFSET_SCALES * scale;
      const direction = offset > bound ? -1 : offset < -bound ? 1 : this.random.sign();
      this.offsets[f] += direction * this.random.between(least, most) * scale;
    }
    const [low, high] = REGIME_NOISE_RANGE;
    this.noiseScale = Math.exp(this.random.between(Math.log(low), Math.log(high)));
    return true;
  }
}
