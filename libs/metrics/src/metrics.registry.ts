import { Registry, collectDefaultMetrics, type MetricValue } from 'prom-client';
import { MetricsError } from './metrics.errors.js';

/** Prefix of every metric rnnflow exposes, Node defaults included. */
const METRIC_PREFIX = 'rnnflow_';

/**
 * prom-client's default metrics include three gauges whose names end in `_total`; `promtool check
 * metrics` rejects them because that suffix is reserved for counters. Each has a sibling gauge
 * labelled by `type` (`…_active_handles{type}` etc.) whose sum is the same number, so dropping
 * the `_total` gauges loses nothing: use `sum(rnnflow_nodejs_active_handles)` instead.
 */
const REJECTED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
].map((name) => METRIC_PREFIX + name);

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Value of the `service` label on every series, e.g. `predictor`. */
  service: string;
  /** Collect Node/process metrics (CPU, memory, event loop, GC). Default true; tests may turn it off. */
  defaultMetrics?: boolean;
}

/** What a metrics server serves on `/metrics`. */
export interface ScrapeSource {
  /** HTTP Content-Type of {@link ScrapeSource.scrape}'s text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** Current values in Prometheus text exposition format. */
  scrape(): Promise<string>;
}

/** One series of a metric family: a counter's or gauge's value for one label set, or a histogram's. */
export interface MetricSample {
  /** The family's name, or for a histogram `<family>_bucket`, `_sum` or `_count`. */
  readonly name: string;
  /** The series' own labels (not the registry's `service` label); a bucket's bound is `le`. */
  readonly labels: Readonly<Partial<Record<string, string | number>>>;
  readonly value: number;
}

/**
 * The metrics of one service process: its own registry, opaque to domain code. Hand it to a
 * recorder factory (`createPredictorMetrics` …) and to `startMetricsServer`.
 */
export interface Metrics extends ScrapeSource {
  /** The `service` label value. */
  readonly service: string;
  /** Names of every metric family registered so far, sorted. */
  metricNames(): string[];
  /** Current series of the family `name`, for a tool running the service in its own process; [] if none. */
  samples(name: string): Promise<MetricSample[]>;
}

const registries = new WeakMap<Metrics, Registry>();

/** Creates the registry of one service process, with the `service` label on every series. */
export function createMetrics(options: MetricsOptions): Metrics {
  if (!/^[a-z][a-z0-9_-]*$/.test(options.service)) {
    throw new MetricsError(
      `service must be a short lowercase name, got ${JSON.stringify(options.service)}`,
    );
  }
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    for (const name of REJECTED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const metrics: Metrics = {
    service: options.service,
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    metricNames: () =>
      registry
        .getMetricsAsArray()
        .map((metric) => metric.name)
        .sort(),
    samples: async (name) => {
      const { values } = (await registry.getSingleMetric(name)?.get()) ?? { values: [] };
      // Histograms name each series (`_bucket`, `_sum`, `_count`); other types do not.
      return (values as (MetricValue<string> & { metricName?: string })[]).map((sample) => ({
        name: sample.metricName ?? name,
        labels: sample.labels,
        value: sample.value,
      }));
    },
  };
  registries.set(metrics, registry);
  return metrics;
}

/** The prom-client registry behind `metrics`; for this lib only (not exported from the index). */
export function registryOf(metrics: Metrics): Registry {
  const registry = registries.get(metrics);
  if (registry === undefined) throw new MetricsError('metrics was not made by createMetrics');
  return registry;
}

/**
 * The registry behind `metrics`, once none of `names` is registered in it yet: a recorder
 * defines its metrics once per process, and a second recorder of the same kind is a wiring bug.
 */
export function claimNames(metrics: Metrics, names: readonly string[]): Registry {
  const registry = registryOf(metrics);
  const taken = names.filter((name) => registry.getSingleMetric(name) !== undefined);
  if (taken.length > 0) {
    throw new MetricsError(
      `metrics ${taken.join(', ')} already exist in the ${metrics.service} registry: create each recorder once per process and share it`,
    );
  }
  return registry;
}
