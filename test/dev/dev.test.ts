import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/rnnflow.process.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHARTS = ['online-error.png', 'predictions.png', 'training-loss.png'];

describe('npx rnnflow dev', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rnnflow-dev-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--duration 60 ends by itself and writes the report, with a swap from the untrained model', async () => {
    const out = path.join(dir, 'report');
    const { code, stderr } = await runCli(['dev', '--duration', '60', '--out', out], {});
    expect(code, stderr).toBe(0);

    const files = await readdir(out);
    for (const chart of CHARTS) {
      expect(files, stderr).toContain(chart);
      const png = await readFile(path.join(out, chart));
      expect(png.subarray(0, 8), chart).toEqual(PNG_SIGNATURE);
    }

    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(summary.events.produced).toBeGreaterThan(0);
    expect(summary.events.predicted).toBeGreaterThan(0);
    expect(summary.events.deadLettered).toBe(0);
    // The untrained initial model is version 1; a trained one took over while it ran.
    expect(summary.versions[0]).toBe(1);
    expect(summary.versions.length, JSON.stringify(summary.trainingRounds)).toBeGreaterThanOrEqual(
      2,
    );
    expect(summary.swaps.length).toBeGreaterThanOrEqual(1);
    expect(summary.swaps[0]).toMatchObject({ from: 1, to: summary.versions[1] });
    expect(summary.trainingRounds.some((r: { outcome: string }) => r.outcome === 'published')).toBe(
      true,
    );
    // The untrained model was scored, and a trained version forecast better than it.
    expect(summary.onlineError['1']).toBeGreaterThan(0);
    const trained = summary.versions
      .slice(1)
      .map((version: number) => summary.onlineError[String(version)])
      .filter((error: number | undefined) => error !== undefined);
    expect(trained.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...trained)).toBeLessThan(summary.onlineError['1']);
    expect(summary.throughput.eventsPerSecond).toBeGreaterThan(0);
    expect(summary.lagMax).toBeGreaterThanOrEqual(0);
    // Prediction latency over the run, from the predictor's end-to-end histogram.
    const { latency } = summary;
    expect(latency.predictions).toBeGreaterThan(0);
    expect(latency.p50Ms).toBeGreaterThan(0);
    expect(latency.p50Ms).toBeLessThanOrEqual(latency.p99Ms);
    expect(latency.p99Ms).toBeLessThanOrEqual(latency.p999Ms);
    expect(stderr).toMatch(
      /^prediction latency p50 [\d.]+ ms, p99 [\d.]+ ms, p99\.9 [\d.]+ ms over \d+ predictions/m,
    );
    // Long steps show progress; on a pipe the live view prints plain status lines.
    expect(stderr).toContain('✔ starting the embedded Kafka broker and Redis');
    expect(stderr).toMatch(/^dev \d\d:\d\d \/ 01:00 in /m);
  }, 150_000);
});
