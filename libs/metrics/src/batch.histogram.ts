import type { Metric, MetricValueWithName, Registry } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative), by index of the upper bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

interface HistogramObject {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: MetricValueWithName<string>[];
}

export interface BatchHistogramConfiguration<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
  registers: readonly Registry[];
}

/**
 * A Prometheus histogram observed a batch of values at a time. prom-client's Histogram
 * validates and hashes the labels on every observation (0.3–0.9 µs each), a cost per prediction
 * on the predictor's event loop; this one looks its series up once per call and then only
 * counts. It registers as a metric of prom-client's registries, so exposition, the cluster
 * aggregation (`sum`) and promtool see an ordinary histogram.
 */
export class BatchHistogram<Label extends string = never> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly Label[];
  private readonly upperBounds: Float64Array;
  private series = new Map<string, Series>();

  constructor(configuration: BatchHistogramConfiguration<Label>) {
    this.name = configuration.name;
    this.help = configuration.help;
    this.labelNames = configuration.labelNames;
    this.upperBounds = Float64Array.from(configuration.buckets);
    for (const registry of configuration.registers) {
      registry.registerMetric(this as unknown as Metric);
    }
  }

  /** Counts finite values; others are skipped (an observation must not fail a batch). */
  observe(values: number | ArrayLike<number>, labels?: Record<Label, string>): void {
    const series = this.seriesOf(labels);
    if (typeof values === 'number') return this.count(series, values);
    for (let index = 0; index < values.length; index += 1) this.count(series, values[index]);
  }

  /** Sum and count of the values observed with `labels`, if any were. */
  totals(labels?: Record<Label, string>): { sum: number; count: number } | undefined {
    const series = this.series.get(this.keyOf(labels));
    return series && { sum: series.sum, count: series.count };
  }

  remove(labels: Record<Label, string>): void {
    this.series.delete(this.keyOf(labels));
  }

  reset(): void {
    this.series = new Map();
  }

  /** What prom-client's registries read (its typings describe the type as an enum it does not use). */
  get(): Promise<HistogramObject> {
    const values: MetricValueWithName<string>[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((bound, index) => {
        cumulative += counts[index];
        values.push(this.sample('_bucket', cumulative, { ...labels, le: bound }));
      });
      values.push(this.sample('_bucket', count, { ...labels, le: '+Inf' }));
      values.push(this.sample('_sum', sum, labels), this.sample('_count', count, labels));
    }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  private count(series: Series, value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index += 1;
    if (index < bounds.length) series.counts[index] += 1;
    series.sum += value;
    series.count += 1;
  }

  private seriesOf(labels: Record<Label, string> | undefined): Series {
    const key = this.keyOf(labels);
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        labels: { ...labels },
        counts: new Float64Array(this.upperBounds.length),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    return series;
  }

  private keyOf(labels: Record<Label, string> | undefined): string {
    if (this.labelNames.length === 0) return '';
    if (labels === undefined) throw new TypeError(`${this.name} needs labels ${this.labelNames}`);
    return this.labelNames
      .map((name) => {
        const value = labels[name];
        if (typeof value !== 'string') throw new TypeError(`${this.name} needs label "${name}"`);
        return value;
      })
      .join('\u0000');
  }

  private sample(
    suffix: string,
    value: number,
    labels: Record<string, string | number>,
  ): MetricValueWithName<string> {
    return { metricName: `${this.name}${suffix}`, value, labels };
  }
}
