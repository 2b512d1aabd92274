import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findFreePort,
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import { EXIT_WITHIN_MS, runFailingStart, startSilentServer } from './startup.process.js';

const run = randomUUID().slice(0, 8);
const TOPIC = `events-${run}`;
const PASSWORD = `pw-${run}`;

describe('a service that cannot start exits non-zero within seconds, naming the cause', () => {
  let kafka: KafkaMockHandle;
  let redis: RedisHandle;
  let lockedRedis: RedisHandle;
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let nothing: string;
  let base: Record<string, string>;

  beforeAll(async () => {
    [kafka, redis, lockedRedis, silent] = await Promise.all([
      startKafkaMock({ topics: [{ name: TOPIC, partitions: 2 }] }),
      startRedis(),
      startRedis(),
      startSilentServer(),
    ]);
    const admin = new Redis(lockedRedis.url);
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
    nothing = `127.0.0.1:${await findFreePort()}`;
    base = {
      KAFKA_BROKERS: kafka.bootstrapServers.join(','),
      REDIS_URL: redis.url,
      RNNFLOW_INPUT_TOPIC: TOPIC,
      RNNFLOW_MODEL: `model-${run}`,
      RNNFLOW_GROUP_ID: `predictor-${run}`,
      RNNFLOW_TRAINER_GROUP_ID: `trainer-${run}`,
      RNNFLOW_LOG_LEVEL: 'fatal',
    };
  });
  afterAll(async () => {
    await Promise.allSettled([kafka?.stop(), redis?.stop(), lockedRedis?.stop(), silent?.close()]);
  });

  const expectFailedFast = (result: { code: number | null; elapsedMs: number }) => {
    expect(result.code).toBe(1);
    expect(result.elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
  };

  it('predictor, Redis unreachable: names REDIS_URL', async () => {
    const result = await runFailingStart(['predictor'], {
      ...base,
      REDIS_URL: `redis://${nothing}`,
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(result);
    expect(result.stderr).toMatch(/^rnnflow: .*Redis at redis:\/\/127\.0\.0\.1:\d+.*REDIS_URL/m);
  });

  it('predictor, Redis accepting connections but never answering: names the timeout setting', async () => {
    const result = await runFailingStart(['predictor'], {
      ...base,
      REDIS_URL: `redis://127.0.0.1:${silent.port}`,
      REDIS_CONNECT_TIMEOUT_MS: '2000',
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(result);
    expect(result.stderr).toContain('did not answer within 2000 ms');
    expect(result.stderr).toContain('REDIS_CONNECT_TIMEOUT_MS');
  });

  it('predictor, Redis refusing the credentials: says so, with the password masked', async () => {
    const url = new URL(lockedRedis.url);
    const result = await runFailingStart(['predictor'], {
      ...base,
      REDIS_URL: `redis://default:wrong-${run}@${url.host}`,
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(result);
    expect(result.stderr).toMatch(/refused the credentials \(WRONGPASS\).*REDIS_URL/);
    expect(result.stderr).toContain('default:***@');
    expect(result.stderr).not.toContain(`wrong-${run}`);
  });

  it('predictor, no active model version: names the model and how to publish one', async () => {
    const result = await runFailingStart(['predictor'], { ...base, RNNFLOW_METRICS_PORT: '0' });
    expectFailedFast(result);
    expect(result.stderr).toContain(`model "model-${run}" has no active version`);
  });

  it('predictor, brokers unreachable: names KAFKA_BROKERS', async () => {
    const result = await runFailingStart(['predictor'], {
      ...base,
      KAFKA_BROKERS: nothing,
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(result);
    expect(result.stderr).toMatch(/^rnnflow: Kafka at 127\.0\.0\.1:\d+.*KAFKA_BROKERS/m);
  });

  it('predictor, a broker that accepts connections but never answers: /healthz 200 and /readyz 503 while it waits, then names the startup timeout', async () => {
    const metricsPort = await findFreePort();
    const result = await runFailingStart(
      ['predictor'],
      {
        ...base,
        KAFKA_BROKERS: `127.0.0.1:${silent.port}`,
        RNNFLOW_STARTUP_TIMEOUT_MS: '4000',
        RNNFLOW_METRICS_PORT: String(metricsPort),
      },
      metricsPort,
    );
    expectFailedFast(result);
    expect(result.stderr).toContain('within 4000 ms');
    expect(result.stderr).toContain('RNNFLOW_STARTUP_TIMEOUT_MS');
    expect(result.probes.length).toBeGreaterThan(5);
    expect(result.probes.every((probe) => probe.healthz === 200 && probe.readyz === 503)).toBe(
      true,
    );
  });

  it('predictor, a bad setting: names it', async () => {
    const result = await runFailingStart(['predictor'], { ...base, RNNFLOW_DELIVERY: 'twice' });
    expectFailedFast(result);
    expect(result.stderr).toContain('RNNFLOW_DELIVERY');
  });

  it('trainer, Redis unreachable and brokers unreachable: exits each time, naming the setting', async () => {
    const noRedis = await runFailingStart(['trainer'], {
      ...base,
      REDIS_URL: `redis://${nothing}`,
      RNNFLOW_METRICS_PORT: '0',
    });
    const noBrokers = await runFailingStart(['trainer'], {
      ...base,
      KAFKA_BROKERS: nothing,
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(noRedis);
    expect(noRedis.stderr).toContain('REDIS_URL');
    expectFailedFast(noBrokers);
    expect(noBrokers.stderr).toContain('KAFKA_BROKERS');
  });

  it('simulator, brokers unreachable: exits naming the startup timeout', async () => {
    const result = await runFailingStart(['simulate', '--events', '10', '--progress', 'false'], {
      ...base,
      KAFKA_BROKERS: nothing,
      RNNFLOW_STARTUP_TIMEOUT_MS: '4000',
      RNNFLOW_METRICS_PORT: '0',
    });
    expectFailedFast(result);
    expect(result.stderr).toMatch(/^rnnflow: Kafka at 127\.0\.0\.1:\d+.*KAFKA_BROKERS/m);
  });
});
