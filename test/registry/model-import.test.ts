import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisHandle } from '@rnnflow/devstack';
import { buildLstmModel, saveModelDirectory } from '../support/tfjs-model.js';

const CLI = fileURLToPath(new URL('../../services/cli/bin/rnnflow.js', import.meta.url));
const MODEL = 'hostile';
/** A refusal takes the CLI's start (~1-3 s on two loaded cores) and a few file checks. */
const REFUSE_WITHIN_MS = 15_000;

interface Manifest {
  weightsManifest: { paths: unknown; weights: unknown }[];
  [field: string]: unknown;
}

/** `rnnflow <args>`, killed after `timeoutMs`: a FIFO or /dev/zero import must not hang the test. */
async function runCli(args: string[], env: Record<string, string>, timeoutMs: number) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  return { stdout, stderr, code, killed: signal === 'SIGKILL' };
}

/** Every key of the server with its DUMP: equal snapshots mean an unchanged registry. */
async function snapshot(redis: Redis): Promise<Map<string, string>> {
  const keys = (await redis.keys('*')).sort();
  const dumps = await Promise.all(keys.map((key) => redis.dumpBuffer(key)));
  return new Map(keys.map((key, i) => [key, dumps[i]?.toString('base64') ?? '']));
}

describe('rnnflow model import with hostile model folders, against a Redis registry', () => {
  let server: RedisHandle;
  let redis: Redis;
  let root: string;
  let env: Record<string, string>;
  let base: Manifest;
  let weights: Buffer;
  let count = 0;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    root = await mkdtemp(join(tmpdir(), 'rnnflow-import-'));
    env = { REDIS_URL: server.url, RNNFLOW_LOG_LEVEL: 'warn' };
    const model = buildLstmModel({ inputSize: 3, units: 4, outputs: 1, seed: 3 });
    await saveModelDirectory(model, join(root, 'valid'));
    model.dispose();
    base = JSON.parse(await readFile(join(root, 'valid', 'model.json'), 'utf8')) as Manifest;
    weights = await readFile(join(root, 'valid', 'group1-shard1of1.bin'));
    await mkdir(join(root, 'outside'));
    // Same size as the weights the manifest declares: only the path gives it away.
    await writeFile(join(root, 'outside', 'secret.bin'), Buffer.alloc(weights.length, 7));
    const first = await runCli(
      ['model', 'import', '--model', MODEL, '--from', join(root, 'valid'), '--activate'],
      env,
      60_000,
    );
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: '1\n' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A model folder with `manifest` as its model.json and, unless `shard` is false, the weights. */
  async function folder(manifest: unknown, shard = true): Promise<string> {
    const dir = join(root, `case-${(count += 1)}`);
    await mkdir(dir);
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    if (shard) await writeFile(join(dir, 'group1-shard1of1.bin'), weights);
    return dir;
  }

  const withPaths = (paths: unknown): Manifest => ({
    ...base,
    weightsManifest: [{ ...base.weightsManifest[0], paths }],
  });
  const withWeights = (edit: (weights: Record<string, unknown>[]) => unknown): Manifest => {
    const specs = structuredClone(base.weightsManifest[0].weights) as Record<string, unknown>[];
    return { ...base, weightsManifest: [{ ...base.weightsManifest[0], weights: edit(specs) }] };
  };

  const cases: [string, () => Promise<string>, RegExp, (line: string) => void][] = [
    [
      'a weights path that climbs out of the folder',
      () => folder(withPaths(['../outside/secret.bin'])),
      /weightsManifest\[0\]\.paths\[0\] "\.\.\/outside\/secret\.bin" leads outside the model folder/,
      (line) => expect(line, 'the size of the file outside').not.toContain(String(weights.length)),
    ],
    [
      'a weights file linked to /dev/zero',
      async () => {
        const dir = await folder(withPaths(['zero.bin']), false);
        await symlink('/dev/zero', join(dir, 'zero.bin'));
        return dir;
      },
      /"zero\.bin" leads outside the model folder/,
      () => {},
    ],
    [
      'a FIFO as the weights file',
      async () => {
        const dir = await folder(base, false);
        execFileSync('mkfifo', [join(dir, 'group1-shard1of1.bin')]);
        return dir;
      },
      /group1-shard1of1\.bin is not a regular file/,
      () => {},
    ],
    [
      'a 5 MB model.json that is valid JSON',
      () => folder({ ...base, padding: 'x'.repeat(5 * 1024 * 1024) }),
      /model\.json holds \d+ bytes; a model\.json may hold at most 4194304/,
      () => {},
    ],
    [
      'a weight whose shape is not a list',
      () =>
        folder(
          withWeights((specs) => {
            specs[0].shape = 12;
            return specs;
          }),
        ),
      /weightsManifest\[0\]\.weights\[0\]\.shape: must be a list of whole numbers/,
      () => {},
    ],
    [
      'weights: null',
      () => folder(withWeights(() => null)),
      /weightsManifest\[0\]\.weights: must be a list of weight specs/,
      () => {},
    ],
    [
      'weight files larger than the manifest declares',
      async () => {
        const dir = await folder(base, false);
        await writeFile(join(dir, 'group1-shard1of1.bin'), Buffer.concat([weights, weights]));
        return dir;
      },
      /its files hold \d+ bytes but its weights declare \d+/,
      () => {},
    ],
  ];

  it.each(cases)(
    'refuses %s with one line, quickly, and leaves the registry unchanged',
    async (_, make, message, check) => {
      const dir = await make();
      const before = await snapshot(redis);
      const started = performance.now();
      const result = await runCli(
        ['model', 'import', '--model', MODEL, '--from', dir, '--activate'],
        env,
        REFUSE_WITHIN_MS,
      );
      const seconds = (performance.now() - started) / 1000;
      console.info(`refused in ${seconds.toFixed(1)} s: ${result.stderr.trim()}`);
      expect(result.killed, `still running after ${REFUSE_WITHIN_MS} ms`).toBe(false);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^rnnflow: /);
      expect(lines[0]).not.toMatch(/unexpected error|TypeError| {4}at /);
      expect(lines[0]).toMatch(message);
      check(lines[0]);
      expect(await snapshot(redis)).toEqual(before);
      expect(await redis.keys('*')).not.toHaveLength(0);
    },
  );
});
