import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  findFreePort,
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import { ModelRegistry } from '@rnnflow/registry';
import { KafkaClients } from '../support/kafka.js';
import { runCli, ServiceProcess } from '../support/rnnflow.process.js';
import { readYaml } from './deploy.assets.js';

interface ComposeService {
  command?: string[];
  environment?: Record<string, unknown>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };
const COMPOSE_BROKERS = 'kafka:9092';
const COMPOSE_REDIS = 'redis://redis:6379';

/** The topics `kafka-init` creates, as `name:partitions`. */
function composeTopics(): { name: string; partitions: number }[] {
  const script = (compose.services['kafka-init'].command ?? []).join('\n');
  const list = /for topic in ([^;]+);/.exec(script)?.[1] ?? '';
  return list
    .trim()
    .split(/\s+/)
    .map((spec) => ({ name: spec.split(':')[0], partitions: Number(spec.split(':')[1]) }));
}

describe('cold start: the commands of compose, in its order, on the embedded stack', () => {
  let kafka: KafkaMockHandle;
  let redis: RedisHandle;
  let clients: KafkaClients;
  const services: ServiceProcess[] = [];

  /** A compose service's environment with the stack's addresses pointing at this test's. */
  async function environmentOf(name: string): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(compose.services[name].environment ?? {})) {
      env[key] = String(value)
        .replace(COMPOSE_BROKERS, kafka.bootstrapServers.join(','))
        .replace(COMPOSE_REDIS, redis.url);
    }
    // Compose gives each container its own network namespace; here they share one host.
    if (env.RNNFLOW_METRICS_PORT !== undefined)
      env.RNNFLOW_METRICS_PORT = String(await findFreePort());
    return env;
  }

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([startKafkaMock({ topics: composeTopics() }), startRedis()]);
    clients = new KafkaClients(kafka.bootstrapServers, 'cold-start-test');
  });
  afterAll(async () => {
    await Promise.allSettled(services.map((service) => service.kill()));
    await clients?.disconnectAll();
    await Promise.allSettled([kafka?.stop(), redis?.stop()]);
  });

  it('orders seed-events, model-init and predictor by completed one-shots', () => {
    expect(compose.services['model-init'].depends_on?.['seed-events']).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(compose.services.predictor.depends_on?.['model-init']).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('the predictor serves predictions of the version model-init published', async () => {
    const seeded = await runCli(compose.services['seed-events'].command!, {
      ...(await environmentOf('seed-events')),
    });
    expect(seeded.code, seeded.stderr).toBe(0);

    const init = compose.services['model-init'];
    const trained = await runCli(init.command!, await environmentOf('model-init'));
    expect(trained.code, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout) as { round: { outcome: string; version?: number } };
    expect(summary.round.outcome, trained.stdout).toBe('published');
    const model = String(init.environment?.RNNFLOW_MODEL);
    const connection = new Redis(redis.url);
    const active = await new ModelRegistry(connection).activeVersion(model);
    connection.disconnect();
    expect(active).toBe(summary.round.version);

    const env = await environmentOf('predictor');
    const predictor = new ServiceProcess(compose.services.predictor.command!, env);
    services.push(predictor);
    onTestFailed(() => console.error(`predictor log:\n${predictor.log}`));
    await predictor.waitForLog('predictor running', 60_000);
    const versions = new Set<string>();
    let count = 0;
    await clients.consumeUntil(
      env.RNNFLOW_OUTPUT_TOPIC,
      { groupId: 'cold-start-reader' },
      (value) => {
        const prediction = JSON.parse(value) as { model: { name: string; version: number } };
        versions.add(`${prediction.model.name}@${prediction.model.version}`);
        count += 1;
        return count >= 200;
      },
    );
    expect([...versions]).toEqual([`${model}@${active}`]);
  });
});
