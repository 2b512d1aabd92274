import type { FeatureProcess } from './feature.process.js';
import type { SeededRandom } from '@rnnflow/random';

/** Standard deviation of one walk step, as a fraction of the feature's scale. */
const WALK_STEP_FRACTION = 0.1;

/**
 * A Gaussian random walk per feature: each event moves every feature by an independent
 * normal step. Unbounded on purpose (its spread grows with the square root of time), which is
 * the non-stationary case a recurrent model has to track.
 */
export class RandomWalkProcess implements FeatureProcess {
  readonly scales: readonly number[];
  private readonly values: number[] = [];
  private readonly stepSizes: number[] = [];

  constructor(
    private readonly random: SeededRandom,
    features: number,
  ) {
    const scales: number[] = [];
    for (let f = 0; f < features; f += 1) {
      const scale = random.between(0.5, 2);
      scales.push(scale);
      this.values.push(random.between(-2, 2));
      this.stepSizes.push(scale * WALK_STEP_FRACTION);
    }
    this.scales = scales;
  }

  next(out: number[]): void {
    for (let f = 0; f < this.values.length; f += 1) {
      out[f] = this.values[f];
      this.values[f] += this.stepSizes[f] * this.random.normal();
    }
  }
}
