import { Counter } from 'prom-client';
import { claimNames, type Metrics } from './metrics.registry.js';

const NAMES = { eventsSent: 'rnnflow_simulator_events_sent_total' } as const;

/** Every metric name {@link createSimulatorMetrics} defines (for dashboard and alert checks). */
export const simulatorMetricNames: readonly string[] = Object.values(NAMES);

/** What the event simulator records. */
export interface SimulatorMetrics {
  /** `n` ≥ 0 events produced to Kafka. */
  eventsSent(n: number): void;
}

/** Defines the simulator's metrics in `metrics` (once per process) and returns its recorder. */
export function createSimulatorMetrics(metrics: Metrics): SimulatorMetrics {
  const eventsSent = new Counter({
    name: NAMES.eventsSent,
    help: 'Events produced to Kafka.',
    registers: [claimNames(metrics, simulatorMetricNames)],
  });
  return { eventsSent: (n) => eventsSent.inc(n) };
}
