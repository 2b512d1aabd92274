import { AggregatorRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics, registryOf } from './metrics.registry.js';
import { createPredictorMetrics } from './predictor.metrics.js';

/** Two worker processes' predictor metrics, merged as a cluster primary merges them. */
async function merged(
  setUp: (
    first: ReturnType<typeof createPredictorMetrics>,
    second: ReturnType<typeof createPredictorMetrics>,
  ) => void,
): Promise<string> {
  const workers = [1, 2].map(() => createMetrics({ service: 'predictor', defaultMetrics: false }));
  const [first, second] = workers.map((metrics) => createPredictorMetrics(metrics));
  setUp(first, second);
  const reports = await Promise.all(
    workers.map((metrics) => registryOf(metrics).getMetricsAsJSON()),
  );
  return AggregatorRegistry.aggregate(reports).metrics();
}

describe('predictor metrics merged over worker processes', () => {
  it('adds up counters, and is ready only when every worker is', async () => {
    const text = await merged((first, second) => {
      first.eventsConsumed('events', 0, 5);
      second.eventsConsumed('events', 0, 7);
      first.ready(true);
      second.ready(false);
    });
    expect(text).toMatch(/^rnnflow_predictor_events_consumed_total\{[^}]*\} 12$/m);
    expect(text).toMatch(/^rnnflow_predictor_ready\{[^}]*\} 0$/m);
  });

  it('reports the oldest model version still serving during a swap', async () => {
    const text = await merged((first, second) => {
      first.activeModelVersion('m', 3);
      second.activeModelVersion('m', 4);
    });
    expect(text).toMatch(/^rnnflow_predictor_active_model_version\{[^}]*model="m"[^}]*\} 3$/m);
  });
});
