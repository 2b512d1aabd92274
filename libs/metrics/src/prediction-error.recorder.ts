import { Gauge, type Registry } from 'prom-client';
import { BatchHistogram } from './batch.histogram.js';
import type { RecentLabelValues } from './label-values.window.js';
import { ABSOLUTE_ERROR_BUCKETS } from './metrics.buckets.js';

/**
 * Online prediction quality per model version: a histogram of absolute errors and a gauge with
 * their mean since the version was first seen by this process. Shares the version window of the
 * other `model_version` series, so old versions disappear together.
 */
export class PredictionErrorRecorder {
  private readonly histogram: BatchHistogram<'model_version'>;
  private readonly mean: Gauge<'model_version'>;

  constructor(
    registry: Registry,
    names: { histogram: string; mean: string },
    private readonly versions: RecentLabelValues,
  ) {
    const registers = [registry];
    this.histogram = new BatchHistogram({
      name: names.histogram,
      help: 'Absolute error |prediction - observed outcome| per model version, in target units.',
      labelNames: ['model_version'],
      buckets: ABSOLUTE_ERROR_BUCKETS,
      registers,
    });
    this.mean = new Gauge({
      name: names.mean,
      help: 'Mean absolute error per model version since this process first used it, in target units.',
      labelNames: ['model_version'],
      registers,
      // Merged over worker processes (approximately: each worker's mean weighs the same).
      aggregator: 'average',
    });
  }

  /** Records absolute errors (≥ 0, target units) of one batch scored by `version`. */
  record(version: string, absErrors: number | ArrayLike<number>): void {
    this.versions.touch(version);
    const labels = { model_version: version };
    this.histogram.observe(absErrors, labels);
    // The mean is the histogram's own sum over its count: one pass over the errors.
    const totals = this.histogram.totals(labels);
    if (totals !== undefined && totals.count > 0) {
      this.mean.labels(version).set(totals.sum / totals.count);
    }
  }

  /** Drops every series of `version` (called by the version window). */
  forget(version: string): void {
    this.histogram.remove({ model_version: version });
    this.mean.remove(version);
  }
}
