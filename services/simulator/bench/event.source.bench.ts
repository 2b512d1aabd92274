/**
 * How many records per second one simulator process can generate (signals + JSON), against a
 * baseline measured in the same run: the same number of uniform random features, JSON-encoded
 * the same way, with no signal model. The gap is what the signal model costs. Prints JSON.
 * Run: `npx tsx bench/event.source.bench.ts` in services/simulator.
 */
import { EventSource, type EventSourceOptions } from '../src/index.js';

const RECORDS = 200_000;

function recordsPerSecond(next: (ts: number) => unknown): number {
  for (let i = 0; i < RECORDS / 10; i += 1) next(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i += 1) next(1_700_000_000_000 + i);
  return RECORDS / (Number(process.hrtime.bigint() - start) / 1e9);
}

function baseline(features: number): (ts: number) => string {
  return (ts) => {
    const values = new Array<number>(features);
    for (let f = 0; f < features; f += 1) values[f] = Math.round(Math.random() * 1e5) / 1e5;
    return JSON.stringify({ features: values, ts });
  };
}

const options = (features: number, kind: EventSourceOptions['kind']): EventSourceOptions => ({
  seed: 1,
  features,
  kind,
  anomalyRate: 0.001,
  regimeShiftRate: 0.002,
  noise: 0.1,
  keys: 1000,
  keyPrefix: 'sensor-',
  target: 'none',
  tombstoneEvery: 0,
});

const rows: Record<string, number> = {};
for (const features of [4, 32, 128]) {
  rows[`baseline: random features + JSON, ${features} features`] = recordsPerSecond(
    baseline(features),
  );
  for (const kind of ['seasonal', 'walk', 'mixed'] as const) {
    const source = new EventSource(options(features, kind));
    rows[`EventSource ${kind}, ${features} features`] = recordsPerSecond((ts) => source.next(ts));
  }
  const withTarget = new EventSource({ ...options(features, 'mixed'), target: 'next' });
  rows[`EventSource mixed + target next, ${features} features`] = recordsPerSecond((ts) =>
    withTarget.next(ts),
  );
}
console.log(
  JSON.stringify(
    {
      records: RECORDS,
      recordsPerSecond: Object.fromEntries(
        Object.entries(rows).map(([name, rate]) => [name, Math.round(rate)]),
      ),
    },
    null,
    2,
  ),
);
