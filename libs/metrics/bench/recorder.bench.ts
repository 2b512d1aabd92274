/**
 * Cost of the predictor's per-batch metric calls, against prom-client's own `labels(...)` path
 * measured in the same run. Prints JSON. Run: `npx tsx bench/recorder.bench.ts` in libs/metrics.
 */
import { Counter, Registry } from 'prom-client';
import { createMetrics, createPredictorMetrics } from '../src/index.js';

const CALLS = 1_000_000;

function nsPerCall(body: (i: number) => void, calls = CALLS): number {
  for (let i = 0; i < calls / 10; i += 1) body(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) body(i);
  return Number(process.hrtime.bigint() - start) / calls;
}

const recorder = createPredictorMetrics(createMetrics({ service: 'bench', defaultMetrics: false }));
const baseline = new Counter({
  name: 'bench_events_consumed_total',
  help: 'baseline',
  labelNames: ['topic', 'partition'],
  registers: [new Registry()],
});

const batch = new Float64Array(500).map((_, i) => i / 1000);
const rows = {
  'prom-client labels(topic, partition).inc (baseline)': nsPerCall((i) =>
    baseline.labels('events', String(i & 7)).inc(500),
  ),
  'eventsConsumed(topic, partition, n)': nsPerCall((i) =>
    recorder.eventsConsumed('events', i & 7, 500),
  ),
  'eventsPredicted(n, version)': nsPerCall(() => recorder.eventsPredicted(500, 3)),
  'stateWrites(result, n)': nsPerCall(() => recorder.stateWrites('applied', 500)),
  'redisCallSeconds(op, s)': nsPerCall(() => recorder.redisCallSeconds('load', 0.002)),
  'stepSeconds(s)': nsPerCall(() => recorder.stepSeconds(0.0004)),
};
const perEvent = {
  'endToEndSeconds(batch of 500) per event':
    nsPerCall(() => recorder.endToEndSeconds(batch), CALLS / 500) / batch.length,
};
const round = (ns: number) => Math.round(ns * 10) / 10;
console.log(
  JSON.stringify(
    {
      calls: CALLS,
      nsPerCall: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, round(v)])),
      nsPerEvent: Object.fromEntries(Object.entries(perEvent).map(([k, v]) => [k, round(v)])),
    },
    null,
    2,
  ),
);
