import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from './simulator.harness.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = randomUUID().slice(0, 8);
const TOPICS = { bounded: `sim-cli-${run}`, stopped: `sim-cli-stop-${run}` };

/** Runs `rnnflow simulate` with `args`; `stopAfterMs` sends SIGTERM after that long. */
async function simulate(args: string[], stopAfterMs?: number) {
  const cli = spawn('node', ['services/cli/bin/rnnflow.js', 'simulate', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer =
    stopAfterMs === undefined ? undefined : setTimeout(() => cli.kill('SIGTERM'), stopAfterMs);
  // A hung command must not outlive the test.
  const guard = setTimeout(() => cli.kill('SIGKILL'), 45_000);
  const [code] = (await once(cli, 'exit')) as [number | null];
  clearTimeout(timer);
  clearTimeout(guard);
  return { code, stdout, stderr };
}

describe('npx rnnflow simulate', () => {
  let mock: KafkaMockHandle;
  let common: string[];

  beforeAll(async () => {
    mock = await startKafkaMock({
      brokers: 1,
      topics: [
        { name: TOPICS.bounded, partitions: 2 },
        { name: TOPICS.stopped, partitions: 1 },
      ],
    });
    common = [
      '--brokers',
      mock.bootstrapServers.join(','),
      '--metrics-port',
      '0',
      '--progress',
      'false',
    ];
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('sends --events records and prints a JSON summary on stdout', async () => {
    const result = await simulate([
      ...common,
      '--input-topic',
      TOPICS.bounded,
      '--keys',
      '7',
      '--rate',
      '300',
      '--events',
      '90',
      '--features',
      '5',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { sent: number; stopped: boolean };
    expect(summary).toMatchObject({ sent: 90, stopped: false });
    const messages = await readAll(mock.bootstrapServers, TOPICS.bounded, 90);
    expect(messages).toHaveLength(90);
    expect(new Set(messages.map((m) => String(m.key))).size).toBe(7);
    const body = JSON.parse(String(messages[0].value)) as { features: number[] };
    expect(body.features).toHaveLength(5);
  });

  it('stops cleanly on SIGTERM, reporting what it sent', async () => {
    const result = await simulate(
      [...common, '--input-topic', TOPICS.stopped, '--rate', '100'],
      4000,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { sent: number; stopped: boolean };
    expect(summary.stopped).toBe(true);
    expect(summary.sent).toBeGreaterThan(0);
    expect(await readAll(mock.bootstrapServers, TOPICS.stopped, summary.sent)).toHaveLength(
      summary.sent,
    );
  });

  it('names a bad setting and exits 1 without connecting', async () => {
    const result = await simulate([
      ...common,
      '--input-topic',
      TOPICS.bounded,
      '--kind',
      'sine',
      '--anomaly-rate',
      '2',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--kind / RNNFLOW_SIM_KIND');
    expect(result.stderr).toContain('--anomaly-rate / RNNFLOW_SIM_ANOMALY_RATE');
  });
});
