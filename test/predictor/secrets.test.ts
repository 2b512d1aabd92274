import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findFreePort,
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import { ServiceProcess, runCli } from '../support/rnnflow.process.js';
import { buildLstmModel, saveModelDirectory } from '../support/tfjs-model.js';

// Unencoded @ in the Redis password: it connects (the URL parser splits at the last @), and the
// masking must not show the part after the first @ either.
const REDIS_PASSWORD = 'r3dis-Pw@half@tail-Q7';
const SASL_PASSWORD = 'sasl-Pw@F1le-Z9';
const SASL_FLAG_PASSWORD = 'sasl-Pw@Flag-K4';
const SECRETS = [REDIS_PASSWORD, SASL_PASSWORD, SASL_FLAG_PASSWORD];
const MODEL = 'secrets';
const README_RIGHTS = [
  '+@read', '+@write', '+@scripting', '+@pubsub', '+@transaction', '-@dangerous', '+info', '+ping', '~rnnflow:*', '&rnnflow:*',
]; // prettier-ignore

/** The secrets and every piece of one between two @ (at least 4 characters) found in `text`. */
function leaked(text: string): string[] {
  const pieces = SECRETS.flatMap((secret) => [secret, ...secret.split('@')]);
  return pieces.filter((piece) => piece.length >= 4 && text.includes(piece));
}

const BROKER_REFUSED = /does not support the requested API version/;

/** Waits until the service's output matches `pattern` (or it exited), at most 90 s. */
async function waitForText(service: ServiceProcess, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!pattern.test(service.log) && service.child.exitCode === null) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within 90 s:\n${service.log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(service.log).toMatch(pattern);
}

async function stopOrKill(service: ServiceProcess): Promise<void> {
  const timer = setTimeout(() => void service.kill(), 10_000);
  await service.stop();
  clearTimeout(timer);
}

describe('secrets never reach the output of the services', () => {
  let redis: RedisHandle;
  let admin: Redis;
  let kafka: KafkaMockHandle;
  let directory: string;
  let passwordFile: string;
  let url: string;
  /** `rnnflow model import` through the URL with the password, which the services then serve. */
  let imported: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    [redis, kafka] = await Promise.all([
      startRedis(),
      startKafkaMock({ brokers: 1, topics: [{ name: 'events', partitions: 2 }] }),
    ]);
    admin = new Redis(redis.url);
    // The README's rights for the services: the predictor must serve with them.
    await admin.call('ACL', 'SETUSER', 'app', 'on', `>${REDIS_PASSWORD}`, ...README_RIGHTS);
    url = `redis://app:${REDIS_PASSWORD}@127.0.0.1:${redis.port}`;
    directory = await mkdtemp(join(tmpdir(), 'rnnflow-secrets-'));
    passwordFile = join(directory, 'sasl-password');
    await writeFile(passwordFile, `${SASL_PASSWORD}\n`);
    const model = buildLstmModel({ inputSize: 3, units: 4, outputs: 1, seed: 2 });
    await saveModelDirectory(model, join(directory, 'model'));
    model.dispose();
    imported = await runCli(
      ['model', 'import', '--model', MODEL, '--from', join(directory, 'model'), '--activate'],
      { REDIS_URL: url, RNNFLOW_LOG_LEVEL: 'debug' },
    );
  });
  afterAll(async () => {
    admin?.disconnect();
    await Promise.all([redis?.stop(), kafka?.stop()]);
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('a Redis password holding @ connects through every command, and no log shows it', async () => {
    const env = { REDIS_URL: url, RNNFLOW_LOG_LEVEL: 'debug' };
    expect(imported, imported.stderr).toMatchObject({ code: 0, stdout: '1\n' });
    expect(leaked(imported.stdout + imported.stderr)).toEqual([]);
    const predictor = new ServiceProcess(['predictor'], {
      ...env,
      KAFKA_BROKERS: kafka.bootstrapServers.join(','),
      RNNFLOW_MODEL: MODEL,
      RNNFLOW_METRICS_PORT: '0',
      RNNFLOW_FETCH_MAX_WAIT_MS: '200',
    });
    try {
      await predictor.waitForLog('predictor running', 60_000);
    } finally {
      await predictor.stop();
    }
    expect(leaked(predictor.log)).toEqual([]);
  });

  it('a Redis it cannot reach is named with the password masked', async () => {
    const closed = await findFreePort();
    const result = await runCli(['model', 'list', '--model', MODEL], {
      REDIS_URL: `redis://app:${REDIS_PASSWORD}@127.0.0.1:${closed}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `cannot connect to Redis at redis://app:***@127.0.0.1:${closed}`,
    );
    expect(leaked(result.stdout + result.stderr)).toEqual([]);
  });

  it('SASL passwords from a file or a flag stay out of every service log', async () => {
    const sasl = {
      KAFKA_BROKERS: kafka.bootstrapServers.join(','),
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'app',
      REDIS_URL: url,
      RNNFLOW_MODEL: MODEL,
      RNNFLOW_METRICS_PORT: '0',
      RNNFLOW_LOG_LEVEL: 'debug',
    };
    const services = [
      new ServiceProcess(['predictor'], { ...sasl, KAFKA_SASL_PASSWORD_FILE: passwordFile }),
      new ServiceProcess(['trainer', '--kafka-sasl-password', SASL_FLAG_PASSWORD], sasl),
      new ServiceProcess(
        ['simulate', '--kafka-sasl-password', SASL_FLAG_PASSWORD, '--events', '10'],
        sasl,
      ),
    ];
    try {
      // The embedded broker has no SASL: each client reaches it with its credentials and
      // fails there, which is the last thing a service logs about them.
      await Promise.all(services.map((service) => waitForText(service, BROKER_REFUSED)));
    } finally {
      // A service still connecting may not stop on SIGTERM yet (that is the fail-fast work's
      // business, not this test's): it is killed after 10 s.
      await Promise.all(services.map((service) => stopOrKill(service)));
    }
    for (const service of services) {
      expect(leaked(service.log)).toEqual([]);
    }
  });
});
