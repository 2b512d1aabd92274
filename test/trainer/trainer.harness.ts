import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, type RecurrentModel } from '@rnnflow/cells';
import {
  startKafkaMock,
  startRedis,
  type KafkaMockHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import { ModelRegistry } from '@rnnflow/registry';
import { SeededRandom } from '@rnnflow/random';
import { Redis } from 'ioredis';
import { KafkaClients } from '../support/kafka.js';
import { runCli } from '../support/rnnflow.process.js';
import { buildLstmModel, saveModelDirectory } from '../support/tfjs-model.js';

/** Features per event: a noisy sine and cosine of the key's phase. */
const INPUT_SIZE = 2;
const PERIOD = 20;
const NOISE = 0.1;
export const FIRST_TS = 1_700_000_000_000;
const STEP_MS = 1000;

/**
 * `keys` seasonal sequences of `events` steps: `[sin(ωt + φ), cos(ωt + φ)]` with a phase per key
 * and uniform noise of ±NOISE·√3 (standard deviation NOISE) on each value.
 */
export function seasonalSequences(
  keys: number,
  events: number,
  seed: number,
): Map<string, number[][]> {
  const source = SeededRandom.forStream(seed, 0);
  const random = () => source.uniform();
  const noise = () => (random() * 2 - 1) * NOISE * Math.sqrt(3);
  const sequences = new Map<string, number[][]>();
  for (let key = 0; key < keys; key += 1) {
    const phase = random() * 2 * Math.PI;
    sequences.set(
      `sensor-${seed}-${key}`,
      Array.from({ length: events }, (_, t) => {
        const angle = (2 * Math.PI * t) / PERIOD + phase;
        return [Math.sin(angle) + noise(), Math.cos(angle) + noise()];
      }),
    );
  }
  return sequences;
}

/**
 * Mean squared error of next-step forecasts of feature 0, each key stepped from a zero state
 * with the served stepper (what the predictor would output).
 */
export function forecastMse(model: RecurrentModel, sequences: Map<string, number[][]>): number {
  let sum = 0;
  let count = 0;
  for (const sequence of sequences.values()) {
    const stepper = model.createStepper(1);
    const states = model.createStates(1);
    const output = new Float32Array(model.outputSize);
    for (let t = 0; t + 1 < sequence.length; t += 1) {
      stepper.step(Float32Array.from(sequence[t]), states, 1, output);
      sum += (output[0] - sequence[t + 1][0]) ** 2;
      count += 1;
    }
  }
  return sum / count;
}

/** A broker, a Redis, a unique topic and model name, and a random LSTM imported and active. */
export class TrainerHarness {
  readonly run = randomUUID().slice(0, 8);
  readonly topic = `events-${this.run}`;
  readonly model = `model-${this.run}`;
  kafka!: KafkaMockHandle;
  redis!: RedisHandle;
  clients!: KafkaClients;
  client!: Redis;
  registry!: ModelRegistry;
  env!: Record<string, string>;
  private directory = '';

  /** Without `importModel`, the model has no version yet: a fresh deployment. */
  async start(options: { importModel: boolean } = { importModel: true }): Promise<this> {
    [this.kafka, this.redis, this.directory] = await Promise.all([
      startKafkaMock({ topics: [{ name: this.topic, partitions: 4 }] }),
      startRedis(),
      mkdtemp(join(tmpdir(), 'rnnflow-trainer-test-')),
    ]);
    this.clients = new KafkaClients(this.kafka.bootstrapServers, `test-${this.run}`);
    this.client = new Redis(this.redis.url);
    this.registry = new ModelRegistry(this.client);
    this.env = {
      KAFKA_BROKERS: this.kafka.bootstrapServers.join(','),
      REDIS_URL: this.redis.url,
      RNNFLOW_MODEL: this.model,
      RNNFLOW_INPUT_TOPIC: this.topic,
      RNNFLOW_LOG_LEVEL: 'warn',
    };
    if (options.importModel) await this.importRandomModel();
    return this;
  }

  /** Imports a seeded random LSTM (16 units, one output) as version 1 and activates it. */
  private async importRandomModel(): Promise<void> {
    const model = buildLstmModel({ inputSize: INPUT_SIZE, units: 16, outputs: 1, seed: 5 });
    await saveModelDirectory(model, join(this.directory, 'model'));
    model.dispose();
    const imported = await runCli(
      [
        'model',
        'import',
        '--model',
        this.model,
        '--from',
        join(this.directory, 'model'),
        '--activate',
      ],
      this.env,
    );
    if (imported.code !== 0) throw new Error(`model import failed: ${imported.stderr}`);
  }

  /** Produces the sequences step by step across keys, with `ts` one second apart. */
  async produce(sequences: Map<string, number[][]>): Promise<void> {
    const producer = this.clients.producer();
    await producer.connect();
    const length = Math.max(...[...sequences.values()].map((sequence) => sequence.length));
    for (let step = 0; step < length; step += 1) {
      await producer.send({
        topic: this.topic,
        messages: [...sequences].map(([key, sequence]) => ({
          key,
          value: JSON.stringify({ features: sequence[step], ts: FIRST_TS + step * STEP_MS }),
        })),
      });
    }
  }

  /** The model of `version`, as the predictor would serve it. */
  async version(version: number): Promise<RecurrentModel> {
    return decodeModel(await this.registry.artefact(this.model, version));
  }

  async stop(): Promise<void> {
    await this.clients?.disconnectAll();
    this.client?.disconnect();
    await Promise.allSettled([
      this.kafka?.stop(),
      this.redis?.stop(),
      rm(this.directory, { recursive: true, force: true }),
    ]);
  }
}
