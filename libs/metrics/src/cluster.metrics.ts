import { AggregatorRegistry } from 'prom-client';
import { registryOf, type Metrics, type ScrapeSource } from './metrics.registry.js';

/**
 * The metrics of a node:cluster primary whose workers each keep their own registry: every
 * scrape asks each worker for its metrics and merges them (counters and histograms add up,
 * gauges merge as their `aggregator` says), so Prometheus sees one target per machine.
 */
export function createClusterMetrics(): ScrapeSource {
  const registry = new AggregatorRegistry();
  return {
    contentType: registry.contentType,
    scrape: () => registry.clusterMetrics(),
  };
}

/** In a cluster worker: answers the primary's scrapes from `metrics`. */
export function answerClusterScrapes(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([registryOf(metrics)]);
  // prom-client installs the worker's request listener when the first AggregatorRegistry is made.
  new AggregatorRegistry();
}
