import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.registry.js';
import { parseSamples, samplesOf, valueOf } from './testing/exposition.parse.js';
import { createTrainerMetrics, trainerMetricNames } from './trainer.metrics.js';

function trainer() {
  const metrics = createMetrics({ service: 'trainer', defaultMetrics: false });
  return { metrics, recorder: createTrainerMetrics(metrics) };
}

const T = 'rnnflow_trainer_';

describe('createTrainerMetrics', () => {
  it('counts rounds by outcome and times them', async () => {
    const { metrics, recorder } = trainer();
    recorder.round('published', 42);
    recorder.round('rejected', 3);
    recorder.round('published', 8);
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${T}rounds_total`, { outcome: 'published' })).toBe(2);
    expect(valueOf(s, `${T}rounds_total`, { outcome: 'rejected' })).toBe(1);
    expect(valueOf(s, `${T}rounds_total`, { outcome: 'failed' })).toBe(0);
    expect(valueOf(s, `${T}round_seconds_sum`, { outcome: 'published' })).toBe(50);
    expect(valueOf(s, `${T}round_seconds_bucket`, { outcome: 'published', le: '10' })).toBe(1);
    expect(valueOf(s, `${T}round_seconds_bucket`, { outcome: 'published', le: '60' })).toBe(2);
    expect(s.every((sample) => sample.labels.service === 'trainer')).toBe(true);
  });

  it('shows the latest loss per kind with the version it was measured on', async () => {
    const { metrics, recorder } = trainer();
    recorder.loss('training', 1, 0.9);
    recorder.loss('validation', 1, 1.1);
    recorder.loss('training', 2, 0.4);
    const s = parseSamples(await metrics.scrape());

    expect(samplesOf(s, `${T}loss`, { kind: 'training' })).toEqual([
      {
        name: `${T}loss`,
        labels: { kind: 'training', model_version: '2', service: 'trainer' },
        value: 0.4,
      },
    ]);
    expect(valueOf(s, `${T}loss`, { kind: 'validation', model_version: '1' })).toBe(1.1);
  });

  it('shows the buffer size and lists exactly the metrics it defines', async () => {
    const { metrics, recorder } = trainer();
    recorder.bufferSize(12, 3400);
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, `${T}buffer_keys`)).toBe(12);
    expect(valueOf(s, `${T}buffer_events`)).toBe(3400);
    expect(metrics.metricNames()).toEqual([...trainerMetricNames].sort());
  });
});
