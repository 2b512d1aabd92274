export { createMetrics, METRIC_PREFIX } from './metrics.registry.js';
export type { Metrics, MetricSample, MetricsOptions, ScrapeSource } from './metrics.registry.js';
export { answerClusterScrapes, createClusterMetrics } from './cluster.metrics.js';
export { MetricsError } from './metrics.error.js';
export { createPredictorMetrics, predictorMetricNames } from './predictor.metrics.js';
export type {
  ModelSwapOutcome,
  ModelVersion,
  PredictorMetrics,
  PredictorMetricsOptions,
  StateReadResult,
  StateWriteResult,
} from './predictor.metrics.js';
export { createTrainerMetrics, trainerMetricNames } from './trainer.metrics.js';
export type { LossKind, RoundOutcome, TrainerMetrics } from './trainer.metrics.js';
export { createSimulatorMetrics, simulatorMetricNames } from './simulator.metrics.js';
export type { SimulatorMetrics } from './simulator.metrics.js';
export { startMetricsServer } from './metrics.server.js';
export type { MetricsServerHandle, MetricsServerOptions } from './metrics.server.js';
export { ReadinessGate } from './readiness.gate.js';
