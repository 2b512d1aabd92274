export { createMetrics } from './metrics.registry.js';
export { histogramQuantile, type CumulativeBuckets } from './histogram.quantile.js';
export type { Metrics, MetricSample } from './metrics.registry.js';
export { answerClusterScrapes, createClusterMetrics } from './cluster.metrics.js';
export {
  createPredictorMetrics,
  END_TO_END_METRIC,
  predictorMetricNames,
} from './predictor.metrics.js';
export type { PredictorMetrics } from './predictor.metrics.js';
export { createTrainerMetrics, trainerMetricNames } from './trainer.metrics.js';
export type { TrainerMetrics } from './trainer.metrics.js';
export { createSimulatorMetrics, simulatorMetricNames } from './simulator.metrics.js';
export { startMetricsServer } from './metrics.server.js';
export type { MetricsServerHandle } from './metrics.server.js';
export { ReadinessGate } from './readiness.gate.js';
