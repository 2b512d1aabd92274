import { END_TO_END_METRIC, type Metrics, type MetricSample } from '@rnnflow/metrics';
import { latencyPercentiles, type LatencyPercentiles } from './latency.histogram.js';

/** The gauge in which the predictor keeps each version's mean absolute online error. */
const ONLINE_ERROR_METRIC = 'rnnflow_predictor_prediction_absolute_error_mean';

/**
 * Mean absolute online error per model version from the samples of {@link ONLINE_ERROR_METRIC}:
 * what the predictor measured when each forecast's next event arrived.
 */
export function onlineErrorByVersion(samples: readonly MetricSample[]): Map<number, number> {
  const errors = new Map<number, number>();
  for (const { name, labels, value } of samples) {
    if (name === ONLINE_ERROR_METRIC && labels.model_version !== undefined) {
      errors.set(Number(labels.model_version), value);
    }
  }
  return errors;
}

/** What the dev run reads from the predictor's metrics. */
export interface PredictorReading {
  readonly onlineError: Map<number, number>;
  /** Undefined before the first prediction. */
  readonly latency: LatencyPercentiles | undefined;
}

/**
 * Reads the predictor's registry (the dev run hosts the predictor in its own process): online
 * error per version and prediction latency.
 */
export async function readPredictor(metrics: Metrics): Promise<PredictorReading> {
  const [errors, endToEnd] = await Promise.all([
    metrics.samples(ONLINE_ERROR_METRIC),
    metrics.samples(END_TO_END_METRIC),
  ]);
  return { onlineError: onlineErrorByVersion(errors), latency: latencyPercentiles(endToEnd) };
}
