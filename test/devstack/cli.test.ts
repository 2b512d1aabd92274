import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readLines } from '../support/lines.js';
import { descendants, waitUntilGone } from '../support/processes.js';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN = randomUUID().slice(0, 8);

describe('npx rnnflow devstack up', () => {
  it('prints a broker kcat lists with its topics and a Redis that answers PING; SIGTERM stops all', async () => {
    const topic = `devstack-cli-${RUN}`;
    const started = performance.now();
    const cli = spawn(
      'npx',
      ['rnnflow', 'devstack', 'up', '--broker-count', '2', '--topic', `${topic}:3`],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(cli, 'exit');
    const lines = await readLines(cli, 2, 45_000);
    console.info(
      `devstack up: addresses printed after ${(performance.now() - started).toFixed(0)} ms`,
    );
    const stack = descendants(cli.pid!);

    expect(lines[0]).toMatch(/^KAFKA_BROKERS=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^REDIS_URL=redis:\/\/127\.0\.0\.1:\d+$/);
    const brokers = lines[0].slice('KAFKA_BROKERS='.length);
    const redisUrl = lines[1].slice('REDIS_URL='.length);

    const { stdout: metadata } = await run('kcat', ['-b', brokers.split(',')[0], '-L', '-m', '10']);
    expect(metadata).toContain(`topic "${topic}" with 3 partitions`);
    expect(metadata).toContain('2 brokers');
    const { stdout: pong } = await run('redis-cli', ['-u', redisUrl, 'ping']);
    expect(pong.trim()).toBe('PONG');
    expect(stack.map((p) => p.comm)).toEqual(
      expect.arrayContaining(['node', 'redis-server', expect.stringMatching(/^kafka-mock/)]),
    );

    cli.kill('SIGTERM');
    await exited;
    expect(
      await waitUntilGone(
        stack.map((p) => p.pid),
        10_000,
      ),
    ).toEqual([]);
    expect(stdout.trimEnd().split('\n')).toEqual(lines); // nothing but the two lines on stdout
  });

  it('stops cleanly on Ctrl-C (SIGINT to the whole process group)', async () => {
    const cli = spawn('npx', ['rnnflow', 'devstack', 'up', '--broker-count', '1'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a terminal's foreground job
    });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(cli, 'exit');
    await readLines(cli, 2, 45_000);
    const stack = descendants(cli.pid!);

    process.kill(-cli.pid!, 'SIGINT');
    await exited;
    expect(
      await waitUntilGone(
        stack.map((p) => p.pid),
        10_000,
      ),
    ).toEqual([]);
    expect(stderr).toContain('devstack stopped');
    expect(stderr).not.toContain('rnnflow:'); // no error reported
  });

  it('refuses a bad --topic, naming the flag', async () => {
    const failure = run('npx', ['rnnflow', 'devstack', 'up', '--topic', 'events'], {
      cwd: REPO_ROOT,
    });
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        "option '--topic <name:partitions>' argument 'events' is invalid",
      ),
    });
  });
});
