import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
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

const INPUT_SIZE = 4;

/** The `predictions` record value, as the README documents it. */
export interface PredictionValue {
  key: string;
  source: { topic: string; partition: number; offset: number };
  model: { name: string; version: number };
  step: number;
  output: number[];
  ts: number;
}

export interface HarnessOptions {
  partitions?: number;
  /** Redis with an append-only file, as production runs it, so `redis.restart()` keeps data. */
  appendOnly?: boolean;
  env?: Record<string, string>;
}

/**
 * A broker, a Redis, unique topics, and an LSTM model imported into the registry and active:
 * everything a predictor needs, for one test file.
 */
export class PredictorHarness {
  readonly run = randomUUID().slice(0, 8);
  readonly topics = {
    input: `events-${this.run}`,
    output: `predictions-${this.run}`,
    deadLetter: `dlq-${this.run}`,
  };
  readonly model: tf.Sequential;
  kafka!: KafkaMockHandle;

  /** `outputs`: the imported model's outputs (3 by default; 1 to forecast feature 0). */
  constructor(options: { outputs?: number } = {}) {
    this.model = buildLstmModel({
      inputSize: INPUT_SIZE,
      units: 16,
      outputs: options.outputs ?? 3,
      seed: 11,
    });
  }
  redis!: RedisHandle;
  clients!: KafkaClients;
  env!: Record<string, string>;
  private directory = '';
  private readonly services: ServiceProcess[] = [];

  async start(options: HarnessOptions = {}): Promise<this> {
    const partitions = options.partitions ?? 6;
    [this.kafka, this.redis, this.directory] = await Promise.all([
      startKafkaMock({
        topics: [
          { name: this.topics.input, partitions },
          { name: this.topics.output, partitions },
          { name: this.topics.deadLetter, partitions: 1 },
        ],
      }),
      startRedis({ appendOnly: options.appendOnly }),
      mkdtemp(join(tmpdir(), 'rnnflow-predictor-test-')),
    ]);
    this.clients = new KafkaClients(this.kafka.bootstrapServers, `test-${this.run}`);
    this.env = {
      KAFKA_BROKERS: this.kafka.bootstrapServers.join(','),
      REDIS_URL: this.redis.url,
      RNNFLOW_MODEL: `model-${this.run}`,
      RNNFLOW_INPUT_TOPIC: this.topics.input,
      RNNFLOW_OUTPUT_TOPIC: this.topics.output,
      RNNFLOW_DLQ_TOPIC: this.topics.deadLetter,
      RNNFLOW_GROUP_ID: `predictor-${this.run}`,
      RNNFLOW_SESSION_TIMEOUT_MS: '6000',
      RNNFLOW_LOG_LEVEL: 'warn',
      ...options.env,
    };
    await saveModelDirectory(this.model, join(this.directory, 'model'));
    const imported = await runCli(
      [
        'model',
        'import',
        '--model',
        this.env.RNNFLOW_MODEL,
        '--from',
        join(this.directory, 'model'),
        '--activate',
      ],
      this.env,
    );
    if (imported.code !== 0) throw new Error(`model import failed: ${imported.stderr}`);
    return this;
  }

  /** Starts `rnnflow predictor` with the harness settings plus `env`. */
  async startPredictor(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const metricsPort = await findFreePort();
    const predictor = new ServiceProcess(
      ['predictor'],
      { ...this.env, RNNFLOW_METRICS_PORT: String(metricsPort), ...env },
      metricsPort,
    );
    this.services.push(predictor);
    return predictor;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.services.map((service) => service.kill()));
    await this.clients?.disconnectAll();
    await Promise.allSettled([
      this.kafka?.stop(),
      this.redis?.stop(),
      rm(this.directory, { recursive: true, force: true }),
    ]);
  }
}

/** `keys` sequences of `events` feature vectors each, smooth and distinct per key. */
export function makeSequences(keys: number, events: number): Map<string, number[][]> {
  const sequences = new Map<string, number[][]>();
  for (let key = 0; key < keys; key += 1) {
    sequences.set(
      `sensor-${key}`,
      Array.from({ length: events }, (_, step) =>
        Array.from(
          { length: INPUT_SIZE },
          (_, feature) => Math.sin(0.3 * step + key + feature) * (1 + feature),
        ),
      ),
    );
  }
  return sequences;
}

/**
 * Produces every sequence, step by step across keys, as input events: steps `from` (0-based,
 * default 0) up to `to` (exclusive, default all), waiting `pauseMs` between steps.
 */
export async function produceSequences(
  harness: PredictorHarness,
  sequences: Map<string, number[][]>,
  options: { from?: number; to?: number; pauseMs?: number } = {},
): Promise<void> {
  const producer = harness.clients.producer();
  await producer.connect();
  const length = Math.max(...[...sequences.values()].map((sequence) => sequence.length));
  for (let step = options.from ?? 0; step < (options.to ?? length); step += 1) {
    if (options.pauseMs !== undefined) await sleep(options.pauseMs);
    await producer.send({
      topic: harness.topics.input,
      messages: [...sequences]
        .filter(([, sequence]) => step < sequence.length)
        .map(([key, sequence]) => ({
          key,
          value: JSON.stringify({ features: sequence[step], ts: 1_000 + step }),
        })),
    });
  }
}

/** Reads predictions (read_committed) until `done` says so; returns them by key, in arrival order. */
export async function collectPredictions(
  harness: PredictorHarness,
  done: (byKey: Map<string, PredictionValue[]>, count: number) => boolean,
): Promise<Map<string, PredictionValue[]>> {
  const byKey = new Map<string, PredictionValue[]>();
  let count = 0;
  await harness.clients.consumeUntil(
    harness.topics.output,
    { groupId: `reader-${randomUUID()}` },
    (value) => {
      const prediction = JSON.parse(value) as PredictionValue;
      byKey.set(prediction.key, [...(byKey.get(prediction.key) ?? []), prediction]);
      count += 1;
      return done(byKey, count);
    },
  );
  return byKey;
}

/** True once every key has a prediction for every step 1..events. */
export function allStepsSeen(keys: number, events: number) {
  return (byKey: Map<string, PredictionValue[]>) =>
    byKey.size === keys &&
    [...byKey.values()].every(
      (predictions) => new Set(predictions.map((prediction) => prediction.step)).size === events,
    );
}

/**
 * Every key has each step 1..n, and every prediction of a step (duplicates included) equals tfjs
 * `predict` on the key's whole sequence at that step within 1e-5.
 */
export function expectMatchesTfjs(
  harness: PredictorHarness,
  sequences: Map<string, number[][]>,
  byKey: Map<string, PredictionValue[]>,
): void {
  for (const [key, sequence] of sequences) {
    const predictions = byKey.get(key) ?? [];
    expect(new Set(predictions.map((prediction) => prediction.step)), `steps of ${key}`).toEqual(
      new Set(sequence.map((_, index) => index + 1)),
    );
    const expected = predictSequence(harness.model, sequence);
    const worst = Math.max(
      ...predictions.flatMap((prediction) =>
        prediction.output.map((value, index) =>
          Math.abs(value - expected[prediction.step - 1][index]),
        ),
      ),
    );
    expect(worst, `largest difference from tfjs for ${key}`).toBeLessThan(1e-5);
  }
}

/**
 * Starts `count` predictors in one group and waits until every one holds partitions. A member
 * the embedded mock refuses at its group sync (it answers a follower that syncs after the
 * leader with INVALID_REQUEST) joins again by itself, once the refused member's session expired.
 */
export async function startGroupMembers(
  harness: PredictorHarness,
  count: number,
): Promise<ServiceProcess[]> {
  const members: ServiceProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    members.push(await harness.startPredictor({ RNNFLOW_LOG_LEVEL: 'info' }));
  }
  const settled = () =>
    members.every(
      (member) => member.child.exitCode !== null || member.log.includes('partitions assigned'),
    );
  await expect.poll(settled, { timeout: 45_000 }).toBe(true);
  const stopped = members.find((member) => member.child.exitCode !== null);
  if (stopped) throw new Error(`a predictor exited while joining its group:\n${stopped.log}`);
  return members;
}
