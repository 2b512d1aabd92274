import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findFreePort,
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import { KafkaClients } from '../support/kafka.js';
import { runCli, ServiceProcess } from '../support/rnnflow.process.js';
import { buildLstmModel, predictSequence, saveModelDirectory } from '../support/tfjs-model.js';

const KEYS = 50;
const EVENTS_PER_KEY = 40;
const INPUT_SIZE = 4;

interface PredictionValue {
  key: string;
  source: { topic: string; partition: number; offset: number };
  model: { name: string; version: number };
  step: number;
  output: number[];
  ts: number;
}

describe('predictor end to end against tfjs', () => {
  const run = randomUUID().slice(0, 8);
  const topics = { input: `events-${run}`, output: `predictions-${run}`, deadLetter: `dlq-${run}` };
  let kafka: KafkaMockHandle;
  let redis: RedisHandle;
  let clients: KafkaClients;
  let directory: string;
  let predictor: ServiceProcess | undefined;

  beforeAll(async () => {
    [kafka, redis, directory] = await Promise.all([
      startKafkaMock({
        topics: [
          { name: topics.input, partitions: 6 },
          { name: topics.output, partitions: 6 },
          { name: topics.deadLetter, partitions: 1 },
        ],
      }),
      startRedis(),
      mkdtemp(join(tmpdir(), 'rnnflow-golden-')),
    ]);
    clients = new KafkaClients(kafka.bootstrapServers, `golden-${run}`);
  });

  afterAll(async () => {
    await predictor?.stop();
    await clients?.disconnectAll();
    await Promise.allSettled([
      kafka?.stop(),
      redis?.stop(),
      rm(directory, { recursive: true, force: true }),
    ]);
  });

  it('gives every key the outputs of tfjs predict on its whole sequence, steps 1..40 in order', async () => {
    const model = buildLstmModel({ inputSize: INPUT_SIZE, units: 16, outputs: 3, seed: 11 });
    await saveModelDirectory(model, join(directory, 'model'));
    const env = {
      KAFKA_BROKERS: kafka.bootstrapServers.join(','),
      REDIS_URL: redis.url,
      RNNFLOW_MODEL: `golden-${run}`,
      RNNFLOW_INPUT_TOPIC: topics.input,
      RNNFLOW_OUTPUT_TOPIC: topics.output,
      RNNFLOW_DLQ_TOPIC: topics.deadLetter,
      RNNFLOW_GROUP_ID: `predictor-${run}`,
      RNNFLOW_METRICS_PORT: String(await findFreePort()),
    };
    const imported = await runCli(
      [
        'model',
        'import',
        '--name',
        env.RNNFLOW_MODEL,
        '--from',
        join(directory, 'model'),
        '--activate',
      ],
      env,
    );
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe('1');

    const sequences = new Map<string, number[][]>();
    for (let key = 0; key < KEYS; key += 1) {
      sequences.set(
        `sensor-${key}`,
        Array.from({ length: EVENTS_PER_KEY }, (_, step) =>
          Array.from(
            { length: INPUT_SIZE },
            (_, feature) => Math.sin(0.3 * step + key + feature) * (1 + feature),
          ),
        ),
      );
    }
    const producer = clients.producer();
    await producer.connect();
    for (let step = 0; step < EVENTS_PER_KEY; step += 1) {
      await producer.send({
        topic: topics.input,
        messages: [...sequences].map(([key, sequence]) => ({
          key,
          value: JSON.stringify({ features: sequence[step], ts: 1_000 + step }),
        })),
      });
    }

    predictor = new ServiceProcess(['predictor'], env);
    const received = new Map<string, PredictionValue[]>();
    let count = 0;
    await clients.consumeUntil(topics.output, { groupId: `reader-${run}` }, (value) => {
      const prediction = JSON.parse(value) as PredictionValue;
      received.set(prediction.key, [...(received.get(prediction.key) ?? []), prediction]);
      count += 1;
      return count === KEYS * EVENTS_PER_KEY;
    });

    for (const [key, sequence] of sequences) {
      const predictions = received.get(key)!;
      expect(predictions.map((prediction) => prediction.step)).toEqual(
        sequence.map((_, index) => index + 1),
      );
      expect(
        predictions.every(
          (prediction) =>
            prediction.model.version === 1 && prediction.source.topic === topics.input,
        ),
      ).toBe(true);
      const expected = predictSequence(model, sequence);
      const worst = Math.max(
        ...predictions.flatMap((prediction, step) =>
          prediction.output.map((value, index) => Math.abs(value - expected[step][index])),
        ),
      );
      expect(worst, `largest difference for ${key}`).toBeLessThan(1e-5);
    }
    expect(await predictor.stop()).toBe(0);
  });
});
