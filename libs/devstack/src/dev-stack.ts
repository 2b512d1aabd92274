import { startKafkaContainer, startRedisContainer } from './containers.js';
import { DevstackError } from './devstack.errors.js';
import { startKafkaMock, type KafkaMockHandle } from './kafka-mock.js';
import { DEFAULT_DEV_TOPICS, validateTopics, type KafkaTopicSpec } from './kafka-topics.js';
import { startRedis } from './redis-server.js';

/**
 * `embedded`: librdkafka's mock cluster and a redis-server, as child processes (no Docker).
 * `containers`: Apache Kafka and Redis through testcontainers (needs a container engine).
 */
export type DevStackKind = 'embedded' | 'containers';

export const DEV_STACK_KINDS: readonly DevStackKind[] = ['embedded', 'containers'];

export interface DevStackOptions {
  /** Default `embedded`. */
  kind?: DevStackKind;
  /** Kafka broker count; default 3 when embedded. The container stack has exactly one. */
  brokers?: number;
  /** Topics created at start; default {@link DEFAULT_DEV_TOPICS}. */
  topics?: readonly KafkaTopicSpec[];
  /** Use this Redis instead of starting one; it is never stopped or flushed. */
  redisUrl?: string;
  /** Receives diagnostic lines of the embedded broker (librdkafka logs). */
  onLog?: (line: string) => void;
}

/** A running Kafka + Redis pair; what a service needs is `kafkaBrokers` and `redisUrl`. */
export interface DevStack {
  readonly kind: DevStackKind;
  /** `host:port` of every broker (`KAFKA_BROKERS`). */
  readonly kafkaBrokers: string[];
  /** `redis://host:port` (`REDIS_URL`). */
  readonly redisUrl: string;
  /** The embedded broker, for fault injection; undefined on the container stack. */
  readonly kafkaMock?: KafkaMockHandle;
  /** Stops everything this stack started (not a Redis given by `redisUrl`). Safe to call twice. */
  stop(): Promise<void>;
}

interface Started {
  stop(): Promise<void>;
}

interface StartedKafka extends Started {
  bootstrapServers: string[];
  mock?: KafkaMockHandle;
}

/**
 * Starts Kafka and Redis side by side. If either fails, the other is stopped before the error
 * is thrown, so a failed start leaves no process behind.
 */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const kind = options.kind ?? 'embedded';
  const topics = validateTopics(options.topics ?? DEFAULT_DEV_TOPICS);
  if (kind === 'containers' && options.brokers !== undefined && options.brokers !== 1) {
    throw new DevstackError(
      'DEVSTACK_BAD_OPTION',
      `the containers stack runs a single Kafka node; got brokers=${options.brokers}`,
    );
  }
  const [kafka, redis] = await Promise.allSettled([
    startKafka(kind, { ...options, topics }),
    kind === 'embedded' || options.redisUrl !== undefined
      ? startRedis({ url: options.redisUrl })
      : startRedisContainer(),
  ]);
  if (kafka.status === 'rejected' || redis.status === 'rejected') {
    await stopAll([kafka, redis].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    throw kafka.status === 'rejected' ? kafka.reason : (redis as PromiseRejectedResult).reason;
  }
  let stopping: Promise<void> | undefined;
  return {
    kind,
    kafkaBrokers: kafka.value.bootstrapServers,
    redisUrl: redis.value.url,
    kafkaMock: kafka.value.mock,
    stop: () => (stopping ??= stopAll([redis.value, kafka.value])),
  };
}

async function startKafka(kind: DevStackKind, options: DevStackOptions): Promise<StartedKafka> {
  if (kind === 'containers') return startKafkaContainer({ topics: options.topics });
  const mock = await startKafkaMock({
    brokers: options.brokers,
    topics: options.topics,
    onLog: options.onLog,
  });
  return { bootstrapServers: mock.bootstrapServers, stop: () => mock.stop(), mock };
}

/** Stops every part even when one fails, then reports the first failure. */
async function stopAll(parts: readonly Started[]): Promise<void> {
  const results = await Promise.allSettled(parts.map((part) => part.stop()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
}
