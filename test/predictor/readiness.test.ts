import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { scrapeMetric } from '../support/rnnflow.process.js';
import {
  allStepsSeen,
  collectPredictions,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const KEYS = 10;
const EVENTS = 12;
/** The bound: /readyz follows Redis within 2 s; the poll adds at most one interval. */
const FOLLOWS_WITHIN_MS = 2000;
const POLL_MS = 100;

async function readyz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
  } catch {
    return 0;
  }
}

/** Milliseconds until /readyz answers `status`, polling every {@link POLL_MS}; fails after 10 s. */
async function msUntilReadyz(port: number, status: number): Promise<number> {
  const started = performance.now();
  while ((await readyz(port)) !== status) {
    if (performance.now() - started > 10_000) throw new Error(`/readyz never answered ${status}`);
    await sleep(POLL_MS);
  }
  return performance.now() - started;
}

describe('predictor readiness follows Redis', () => {
  const harness = new PredictorHarness();
  let redisPid: number;
  beforeAll(async () => {
    // Append-only, so that the restart below keeps the states and the registry.
    await harness.start({ appendOnly: true });
    const info = new Redis(harness.redis.url);
    redisPid = Number(/process_id:(\d+)/.exec(await info.info('server'))?.[1]);
    info.disconnect();
  });
  afterAll(async () => {
    // A failed test must not leave Redis stopped for the harness's own cleanup.
    try {
      process.kill(redisPid, 'SIGCONT');
    } catch {
      // Already restarted: that process is gone.
    }
    await harness.stop();
  });

  it('turns 503 within 2 s of Redis freezing and 200 within 2 s of its return, losing and doubling no step', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const predictor = await harness.startPredictor({
      RNNFLOW_LOG_LEVEL: 'info',
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    });
    onTestFailed(() => console.error(`predictor log:\n${predictor.log}`));
    const port = predictor.metricsPort!;
    await predictor.waitForLog('predictor running');
    await produceSequences(harness, sequences, { to: 4 });
    await collectPredictions(harness, allStepsSeen(KEYS, 4));
    expect(await msUntilReadyz(port, 200)).toBeLessThan(FOLLOWS_WITHIN_MS);

    process.kill(redisPid, 'SIGSTOP');
    const producing = produceSequences(harness, sequences, { from: 4, to: 8 });
    expect(await msUntilReadyz(port, 503)).toBeLessThan(FOLLOWS_WITHIN_MS + POLL_MS);
    const frozenAt = performance.now();
    // The batches that arrive meanwhile cannot write their states: their partitions wait to be
    // read again, and the gauge says how many.
    await expect
      .poll(() => scrapeMetric(port, 'rnnflow_predictor_unavailable_partitions'), {
        timeout: 4000,
        interval: POLL_MS,
      })
      .toBeGreaterThan(0);
    await sleep(Math.max(0, 4000 - (performance.now() - frozenAt)));
    expect(await readyz(port)).toBe(503);
    process.kill(redisPid, 'SIGCONT');
    expect(await msUntilReadyz(port, 200)).toBeLessThan(FOLLOWS_WITHIN_MS + POLL_MS);
    await producing;
    await collectPredictions(harness, allStepsSeen(KEYS, 8));

    // Gone for a while, then back on the same port (SIGTERM: Redis writes its append-only file).
    process.kill(redisPid, 'SIGTERM');
    expect(await msUntilReadyz(port, 503)).toBeLessThan(FOLLOWS_WITHIN_MS + POLL_MS);
    await sleep(4000);
    expect(await readyz(port)).toBe(503);
    await harness.redis.restart();
    expect(await msUntilReadyz(port, 200)).toBeLessThan(FOLLOWS_WITHIN_MS + POLL_MS);

    await produceSequences(harness, sequences, { from: 8 });
    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
    for (const [key, predictions] of byKey) {
      const steps = [...new Set(predictions.map((prediction) => prediction.step))];
      expect(steps, key).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    }
  });
});
