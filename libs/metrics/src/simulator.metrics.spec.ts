import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.registry.js';
import { createSimulatorMetrics, simulatorMetricNames } from './simulator.metrics.js';
import { parseSamples, valueOf } from './testing/exposition.parse.js';

describe('createSimulatorMetrics', () => {
  it('counts events sent and lists exactly the metrics it defines', async () => {
    const metrics = createMetrics({ service: 'simulator', defaultMetrics: false });
    const recorder = createSimulatorMetrics(metrics);
    recorder.eventsSent(250);
    recorder.eventsSent(50);
    const s = parseSamples(await metrics.scrape());

    expect(valueOf(s, 'rnnflow_simulator_events_sent_total', { service: 'simulator' })).toBe(300);
    expect(metrics.metricNames()).toEqual([...simulatorMetricNames]);
  });
});
