import type { FeatureProcess } from './feature.process.js';
import type { SeededRandom } from '@rnnflow/random';

/** Shortest and longest main period of a key, in events. */
const SEASONAL_PERIOD_RANGE: readonly [number, number] = [24, 240];

interface SineTerm {
  amplitude: number;
  /** Radians per event. */
  frequency: number;
  phase: number;
}

/**
 * A sum of two sines per feature around a level. The key draws one main period (shared by its
 * features, as a daily cycle would be) and one slower harmonic; each feature draws its own
 * level, amplitudes and phases.
 */
export class SeasonalProcess implements FeatureProcess {
  readonly scales: readonly number[];
  private readonly levels: number[] = [];
  private readonly terms: SineTerm[][] = [];
  private t = 0;

  constructor(random: SeededRandom, features: number) {
    const [shortest, longest] = SEASONAL_PERIOD_RANGE;
    const mainPeriod = random.between(shortest, longest);
    const slowPeriod = mainPeriod * random.between(3, 7);
    const scales: number[] = [];
    for (let f = 0; f < features; f += 1) {
      const amplitude = random.between(0.5, 2);
      scales.push(amplitude);
      this.levels.push(random.between(-2, 2));
      this.terms.push([
        { amplitude, frequency: (2 * Math.PI) / mainPeriod, phase: random.between(0, 2 * Math.PI) },
        {
          amplitude: amplitude * random.between(0.2, 0.5),
          frequency: (2 * Math.PI) / slowPeriod,
          phase: random.between(0, 2 * Math.PI),
        },
      ]);
    }
    this.scales = scales;
  }

  next(out: number[]): void {
    for (let f = 0; f < this.levels.length; f += 1) {
      let value = this.levels[f];
      for (const term of this.terms[f]) {
        value += term.amplitude * Math.sin(term.frequency * this.t + term.phase);
      }
      out[f] = value;
    }
    this.t += 1;
  }
}
