import { Registry, collectDefaultMetrics } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MetricsError } from './metrics.errors.js';
import { createMetrics, type Metrics } from './metrics.registry.js';
import { createPredictorMetrics } from './predictor.metrics.js';
import { createSimulatorMetrics } from './simulator.metrics.js';
import { familyTypes, parseSamples } from './testing/exposition.parse.js';
import { promtoolCheckMetrics } from './testing/promtool.check.js';
import { createTrainerMetrics } from './trainer.metrics.js';

/** A registry with Node defaults and every recorder method called at least once. */
async function everyMetricTouched(): Promise<Metrics> {
  const metrics = createMetrics({ service: 'all' });
  const predictor = createPredictorMetrics(metrics);
  predictor.eventsConsumed('events', 0, 3);
  predictor.eventsPredicted(3, 4);
  predictor.deadLettered('undecodable');
  predictor.batchSize(3);
  predictor.stepSeconds(0.0002);
  predictor.redisCallSeconds('load', 0.001);
  predictor.kafkaCallSeconds('produce', 0.004);
  predictor.endToEndSeconds([0.01, 0.02]);
  predictor.consumerLag('events', 0, 17);
  predictor.activeModelVersion('lstm', 4);
  predictor.stateWrites('stale', 1);
  predictor.stateReads('missing', 2);
  predictor.error('BROKER_DOWN');
  predictor.predictionError(4, [0.2, 0.7]);
  predictor.modelSwap('swapped');
  predictor.ready(true);
  const trainer = createTrainerMetrics(metrics);
  trainer.round('failed', 1.5);
  trainer.loss('validation', 4, 0.3);
  trainer.bufferSize(2, 9);
  createSimulatorMetrics(metrics).eventsSent(9);
  // GC and event-loop metrics fill in once the loop has turned.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return metrics;
}

// promtool is a Debian package on dev machines and CI; locally its absence may skip, in CI it fails.
const promtoolMissing = promtoolCheckMetrics('').available === false;
const promtoolRequired = process.env.CI === 'true';
if (promtoolMissing && !promtoolRequired) {
  console.warn(
    'skipping promtool checks: promtool not on PATH (install the Debian package `prometheus`)',
  );
}

describe('createMetrics', () => {
  it('prefixes Node default metrics and labels every series with the service', async () => {
    const metrics = createMetrics({ service: 'predictor' });
    const text = await metrics.scrape();
    const samples = parseSamples(text);

    expect(familyTypes(text).get('rnnflow_process_cpu_seconds_total')).toBe('counter');
    expect(familyTypes(text).get('rnnflow_nodejs_active_handles')).toBe('gauge');
    expect(samples.length).toBeGreaterThan(10);
    expect(
      samples.every((s) => s.name.startsWith('rnnflow_') && s.labels.service === 'predictor'),
    ).toBe(true);
  });

  it('exposes no gauge whose name ends in _total', async () => {
    const types = familyTypes(await (await everyMetricTouched()).scrape());
    const badGauges = [...types].filter(
      ([name, type]) => type !== 'counter' && name.endsWith('_total'),
    );
    expect(badGauges).toEqual([]);
  });

  it('gives the series of one family by name, histogram buckets included', async () => {
    const metrics = createMetrics({ service: 'predictor', defaultMetrics: false });
    const predictor = createPredictorMetrics(metrics);
    predictor.predictionError(4, [0.5, 1.5]);
    predictor.endToEndSeconds([0.001]);
    expect(await metrics.samples('rnnflow_predictor_prediction_absolute_error_mean')).toEqual([
      {
        name: 'rnnflow_predictor_prediction_absolute_error_mean',
        labels: { model_version: '4' },
        value: 1,
      },
    ]);
    const buckets = (await metrics.samples('rnnflow_predictor_end_to_end_seconds')).filter(
      (sample) => sample.name === 'rnnflow_predictor_end_to_end_seconds_bucket',
    );
    expect(buckets.find((sample) => sample.labels.le === '+Inf')?.value).toBe(1);
    expect(await metrics.samples('rnnflow_no_such_metric')).toEqual([]);
  });

  it('rejects a service name that is not a short lowercase word', () => {
    expect(() => createMetrics({ service: 'Predictor 1' })).toThrow(MetricsError);
  });
});

describe.skipIf(promtoolMissing && !promtoolRequired)('promtool check metrics', () => {
  it('passes on a scrape with every metric touched', async () => {
    const result = promtoolCheckMetrics(await (await everyMetricTouched()).scrape());
    if (!result.available)
      throw new Error('promtool not on PATH: install the Debian package `prometheus`');
    expect(result.output).toBe('');
    expect(result.passed).toBe(true);
  });

  it('fails on prom-client defaults left as they are, so the check above can fail', async () => {
    const raw = new Registry();
    collectDefaultMetrics({ register: raw });
    const result = promtoolCheckMetrics(await raw.metrics());
    if (!result.available)
      throw new Error('promtool not on PATH: install the Debian package `prometheus`');
    expect(result.passed).toBe(false);
    expect(result.output).toContain('nodejs_active_handles_total');
  });
});
