import { latencyPercentiles, type LatencyPercentiles } from './latency.histogram.js';

/** The gauge in which the predictor keeps each version's mean absolute online error. */
const ONLINE_ERROR_METRIC = 'rnnflow_predictor_prediction_absolute_error_mean';

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const VERSION_LABEL = /model_version="(\d+)"/;

/**
 * Mean absolute online error per model version from a Prometheus text exposition: what the
 * predictor measured when each forecast's next event arrived.
 */
export function onlineErrorByVersion(exposition: string): Map<number, number> {
  const errors = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    const sample = SAMPLE_LINE.exec(line);
    if (sample === null || sample[1] !== ONLINE_ERROR_METRIC) continue;
    const version = VERSION_LABEL.exec(sample[2] ?? '');
    if (version !== null) errors.set(Number(version[1]), Number(sample[3]));
  }
  return errors;
}

/** What the dev run reads from the predictor's /metrics. */
export interface PredictorReading {
  readonly onlineError: Map<number, number>;
  /** Undefined before the first prediction. */
  readonly latency: LatencyPercentiles | undefined;
}

/** Reads the local predictor's /metrics: online error per version and prediction latency. */
export async function scrapePredictor(metricsPort: number): Promise<PredictorReading> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  const text = await response.text();
  return { onlineError: onlineErrorByVersion(text), latency: latencyPercentiles(text) };
}
