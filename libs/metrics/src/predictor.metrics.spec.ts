import { describe, expect, it } from 'vitest';
import { MetricsError } from './metrics.errors.js';
import { createMetrics } from './metrics.registry.js';
import { createPredictorMetrics, predictorMetricNames } from './predictor.metrics.js';
import { parseSamples, samplesOf, valueOf } from './testing/exposition.parse.js';

function predictor(options: { modelVersionsKept?: number } = {}) {
  const metrics = createMetrics({ service: 'predictor', defaultMetrics: false });
  return { metrics, recorder: createPredictorMetrics(metrics, options) };
}

const P = 'rnnflow_predictor_';

describe('createPredictorMetrics', () => {
  it('records counts per topic/partition, version, reason, result and kind', async () => {
    const { metrics, recorder } = predictor();
    recorder.eventsConsumed('events', 0, 5);
    recorder.eventsConsumed('events', 0, 2);
    recorder.eventsConsumed('events', 1, 4);
    recorder.eventsPredicted(6, 7);
    recorder.eventsPredicted(1, 8);
    recorder.deadLettered('undecodable');
    recorder.deadLettered('undecodable', 3);
    recorder.stateWrites('applied', 9);
    recorder.stateWrites('fenced', 1);
    recorder.stateReads('corrupt', 2);
    recorder.error('REDIS_UNAVAILABLE');
    recorder.modelSwap('refused');
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${P}events_consumed_total`, { topic: 'events', partition: '0' })).toBe(7);
    expect(valueOf(s, `${P}events_consumed_total`, { topic: 'events', partition: '1' })).toBe(4);
    expect(valueOf(s, `${P}events_predicted_total`, { model_version: '7' })).toBe(6);
    expect(valueOf(s, `${P}events_predicted_total`, { model_version: '8' })).toBe(1);
    expect(valueOf(s, `${P}events_dead_lettered_total`, { reason: 'undecodable' })).toBe(4);
    expect(valueOf(s, `${P}state_writes_total`, { result: 'applied' })).toBe(9);
    expect(valueOf(s, `${P}state_writes_total`, { result: 'stale' })).toBe(0);
    expect(valueOf(s, `${P}state_writes_total`, { result: 'fenced' })).toBe(1);
    expect(valueOf(s, `${P}state_reads_total`, { result: 'found' })).toBe(0);
    expect(valueOf(s, `${P}state_reads_total`, { result: 'corrupt' })).toBe(2);
    expect(valueOf(s, `${P}errors_total`, { kind: 'REDIS_UNAVAILABLE' })).toBe(1);
    expect(valueOf(s, `${P}model_swaps_total`, { outcome: 'refused' })).toBe(1);
    expect(valueOf(s, `${P}model_swaps_total`, { outcome: 'swapped' })).toBe(0);
    expect(s.every((sample) => sample.labels.service === 'predictor')).toBe(true);
  });

  it('puts durations and sizes into the buckets their units imply', async () => {
    const { metrics, recorder } = predictor();
    recorder.batchSize(120);
    recorder.stepSeconds(0.00004);
    recorder.redisCallSeconds('load', 0.002);
    recorder.kafkaCallSeconds('produce', 0.03);
    recorder.endToEndSeconds(0.2);
    recorder.endToEndSeconds(new Float64Array([0.004, 3]));
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${P}batch_size_events_bucket`, { le: '100' })).toBe(0);
    expect(valueOf(s, `${P}batch_size_events_bucket`, { le: '200' })).toBe(1);
    expect(valueOf(s, `${P}batch_size_events_sum`)).toBe(120);
    expect(valueOf(s, `${P}step_seconds_bucket`, { le: '0.000025' })).toBe(0);
    expect(valueOf(s, `${P}step_seconds_bucket`, { le: '0.00005' })).toBe(1);
    expect(valueOf(s, `${P}redis_call_seconds_bucket`, { op: 'load', le: '0.0025' })).toBe(1);
    expect(valueOf(s, `${P}redis_call_seconds_bucket`, { op: 'load', le: '0.001' })).toBe(0);
    expect(valueOf(s, `${P}kafka_call_seconds_count`, { op: 'produce' })).toBe(1);
    expect(valueOf(s, `${P}kafka_call_seconds_sum`, { op: 'produce' })).toBeCloseTo(0.03);
    expect(valueOf(s, `${P}end_to_end_seconds_count`)).toBe(3);
    expect(valueOf(s, `${P}end_to_end_seconds_bucket`, { le: '0.005' })).toBe(1);
    expect(valueOf(s, `${P}end_to_end_seconds_bucket`, { le: '0.25' })).toBe(2);
    expect(valueOf(s, `${P}end_to_end_seconds_bucket`, { le: '+Inf' })).toBe(3);
  });

  it('tracks lag per owned partition and drops it on revocation', async () => {
    const { metrics, recorder } = predictor();
    recorder.consumerLag('events', 0, 40);
    recorder.consumerLag('events', 0, 12);
    recorder.consumerLag('events', 3, 5);
    recorder.partitionRevoked('events', 3);
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${P}consumer_lag_events`, { topic: 'events', partition: '0' })).toBe(12);
    expect(samplesOf(s, `${P}consumer_lag_events`, { partition: '3' })).toEqual([]);
  });

  it('shows the active version per model and the ready flag', async () => {
    const { metrics, recorder } = predictor();
    expect(valueOf(parseSamples(await metrics.scrape()), `${P}ready`)).toBe(0);
    recorder.activeModelVersion('lstm', 3);
    recorder.activeModelVersion('lstm', 4);
    recorder.activeModelVersion('gru', 2);
    recorder.ready(true);
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${P}active_model_version`, { model: 'lstm' })).toBe(4);
    expect(valueOf(s, `${P}active_model_version`, { model: 'gru' })).toBe(2);
    expect(valueOf(s, `${P}ready`)).toBe(1);
  });

  it('keeps a histogram and the running mean of absolute errors per version', async () => {
    const { metrics, recorder } = predictor();
    recorder.predictionError(5, [0.1, 0.3]);
    recorder.predictionError(5, 2);
    recorder.predictionError(6, new Float32Array([0.5]));
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${P}prediction_absolute_error_count`, { model_version: '5' })).toBe(3);
    expect(
      valueOf(s, `${P}prediction_absolute_error_bucket`, { model_version: '5', le: '0.25' }),
    ).toBe(1);
    expect(valueOf(s, `${P}prediction_absolute_error_mean`, { model_version: '5' })).toBeCloseTo(
      0.8,
    );
    expect(valueOf(s, `${P}prediction_absolute_error_mean`, { model_version: '6' })).toBeCloseTo(
      0.5,
    );
  });

  it('keeps per-version series only for the most recent versions', async () => {
    const { metrics, recorder } = predictor({ modelVersionsKept: 2 });
    for (const version of [1, 2, 3]) {
      recorder.eventsPredicted(10, version);
      recorder.predictionError(version, 0.5);
    }
    recorder.eventsPredicted(1, 3);
    const s = parseSamples(await metrics.scrape());
    const versionsOf = (name: string) => samplesOf(s, name).map((x) => x.labels.model_version);

    expect(versionsOf(`${P}events_predicted_total`)).toEqual(['2', '3']);
    expect(valueOf(s, `${P}events_predicted_total`, { model_version: '3' })).toBe(11);
    expect(versionsOf(`${P}prediction_absolute_error_mean`)).toEqual(['2', '3']);
    expect(new Set(versionsOf(`${P}prediction_absolute_error_count`))).toEqual(new Set(['2', '3']));
  });

  it('lists exactly the metrics it defines, and refuses to define them twice', () => {
    const { metrics } = predictor();
    expect(metrics.metricNames()).toEqual([...predictorMetricNames].sort());
    expect(() => createPredictorMetrics(metrics)).toThrow(MetricsError);
  });
});
