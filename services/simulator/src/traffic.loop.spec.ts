import { RatePacer } from '@rnnflow/pacing';
import { describe, expect, it } from 'vitest';
import { EventSource, type EventSourceOptions, type SimulatedRecord } from './event.source.js';
import { runTrafficLoop, type LoopClock } from './traffic.loop.js';

const sourceOptions: EventSourceOptions = {
  seed: 3,
  features: 2,
  kind: 'seasonal',
  anomalyRate: 0,
  regimeShiftRate: 0,
  noise: 0.1,
  keys: 5,
  keyPrefix: 'k-',
  target: 'none',
  tombstoneEvery: 0,
};

/** A clock that only moves when the loop sleeps, or by `sendMs` per batch sent. */
function fakeClock(sendMs = 0) {
  let now = 1_700_000_000_000;
  const clock: LoopClock = {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      now += ms;
    },
  };
  return { clock, advance: (ms: number) => (now += ms + sendMs) };
}

describe('runTrafficLoop', () => {
  it('sends exactly the limit, paced at the rate', async () => {
    const { clock, advance } = fakeClock();
    const batches: { size: number; ts: number }[] = [];
    const outcome = await runTrafficLoop({
      source: new EventSource(sourceOptions),
      pacer: new RatePacer(200, 1000, 50),
      durationMs: Infinity,
      send: async (records, ts) => {
        batches.push({ size: records.length, ts });
        advance(0);
      },
      onProgress: () => {},
      clock,
    });
    expect(outcome.sent).toBe(1000);
    expect(batches.reduce((n, b) => n + b.size, 0)).toBe(1000);
    expect(batches.every((b) => b.size <= 50)).toBe(true);
    // 1000 records at 200/s take 5 s of (fake) time.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(4_990);
    expect(outcome.elapsedMs).toBeLessThan(5_100);
    expect(outcome).toMatchObject({ stopped: false, fellBehind: false });
  });

  it('counts tombstones and stops when the signal aborts', async () => {
    const { clock } = fakeClock();
    const controller = new AbortController();
    const sent: SimulatedRecord[] = [];
    const outcome = await runTrafficLoop({
      source: new EventSource({ ...sourceOptions, tombstoneEvery: 2 }),
      pacer: new RatePacer(100, Infinity, 10),
      durationMs: Infinity,
      send: async (records) => {
        sent.push(...records);
        if (sent.length >= 300) controller.abort();
      },
      onProgress: () => {},
      signal: controller.signal,
      clock,
    });
    expect(outcome.stopped).toBe(true);
    expect(outcome.sent).toBe(sent.length);
    expect(outcome.tombstones).toBe(sent.filter((r) => r.value === null).length);
    expect(outcome.tombstones).toBe(Math.floor(outcome.sent / 3));
  });

  it('gives up after the duration when sends are slower than the rate', async () => {
    const { clock, advance } = fakeClock(100);
    const outcome = await runTrafficLoop({
      source: new EventSource(sourceOptions),
      pacer: new RatePacer(1000, 2000, 10),
      durationMs: 2000,
      // Each batch of 10 takes 100 ms: 100 records/s against 1000 asked for.
      send: async () => {
        advance(0);
      },
      onProgress: () => {},
      clock,
    });
    expect(outcome.fellBehind).toBe(true);
    expect(outcome.sent).toBeLessThan(2000);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(3000);
  });
});
