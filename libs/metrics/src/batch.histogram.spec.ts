import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BatchHistogram } from './batch.histogram.js';
import { parseSamples } from './testing/exposition.parse.js';

const buckets = [0.01, 0.1, 1, 10];
const values = [0.005, 0.01, 0.05, 0.5, 0.5, 3, 42, -1];

function sorted(text: string): string[] {
  return parseSamples(text)
    .map(({ name, labels, value }) => {
      const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
      return `${name}${JSON.stringify(pairs)} ${value}`;
    })
    .sort();
}

describe('BatchHistogram', () => {
  it('exposes exactly the samples prom-client’s Histogram gives for the same observations', async () => {
    const reference = new Registry();
    const batched = new Registry();
    const expected = new Histogram({
      name: 'latency_seconds',
      help: 'h',
      labelNames: ['model_version'],
      buckets,
      registers: [reference],
    });
    const actual = new BatchHistogram({
      name: 'latency_seconds',
      help: 'h',
      labelNames: ['model_version'],
      buckets,
      registers: [batched],
    });
    for (const value of values) expected.labels('1').observe(value);
    expected.labels('2').observe(7);
    actual.observe(values, { model_version: '1' });
    actual.observe(7, { model_version: '2' });

    expect(sorted(await batched.metrics())).toEqual(sorted(await reference.metrics()));
    expect(await batched.metrics()).toContain('# TYPE latency_seconds histogram');
  });

  it('skips values that are not finite, drops a removed series and sums over cluster workers', async () => {
    const registries = [new Registry(), new Registry()];
    const histograms = registries.map(
      (registry) =>
        new BatchHistogram({
          name: 'wait_seconds',
          help: 'h',
          labelNames: [],
          buckets,
          registers: [registry],
        }),
    );
    histograms[0].observe([0.5, Number.NaN, Number.POSITIVE_INFINITY]);
    histograms[1].observe([0.05, 20]);
    expect(histograms[0].totals()).toEqual({ sum: 0.5, count: 1 });
    expect(histograms[1].totals()?.count).toBe(2);
    const merged = AggregatorRegistry.aggregate(
      await Promise.all(registries.map((registry) => registry.getMetricsAsJSON())),
    );
    const samples = parseSamples(await merged.metrics());
    const value = (name: string, le?: string) =>
      samples.find((s) => s.name === name && s.labels.le === le)?.value;
    expect(value('wait_seconds_count')).toBe(3);
    expect(value('wait_seconds_sum')).toBeCloseTo(20.55);
    expect(value('wait_seconds_bucket', '0.1')).toBe(1);
    expect(value('wait_seconds_bucket', '1')).toBe(2);
    expect(value('wait_seconds_bucket', '+Inf')).toBe(3);

    const labeled = new BatchHistogram({
      name: 'by_version',
      help: 'h',
      labelNames: ['model_version'],
      buckets,
      registers: [registries[0]],
    });
    labeled.observe(1, { model_version: '3' });
    labeled.remove({ model_version: '3' });
    expect(await registries[0].getSingleMetricAsString('by_version')).not.toContain('_count');
    expect(() => labeled.observe(1)).toThrow(TypeError);
  });
});
