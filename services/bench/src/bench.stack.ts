import { startKafkaMock, startRedis, type KafkaTopicSpec } from '@rnnflow/devstack';
import type { Logger } from '@rnnflow/logging';
import type { RedisConnection } from '@rnnflow/redis';
import { createRedisConnection } from '@rnnflow/state';
import { createKafkaClient, type KafkaClient } from '@rnnflow/stream';

/** Input, output and dead-letter topic of one contender. */
export interface ContenderTopics {
  input: string;
  output: string;
  deadLetter: string;
}

/** The embedded broker and Redis every contender of a run shares, and who stops what. */
export interface BenchStack {
  brokers: string[];
  redisUrl: string;
  kafka: KafkaClient;
  redis: RedisConnection;
  topics(contender: string): ContenderTopics;
  /**
   * Creates a new set of topics for `contender` (named `<contender>-<n>-in` etc., with the run's
   * partitions): each steady-rate session starts without another's backlog.
   */
  freshTopics(contender: string): Promise<ContenderTopics>;
  /**
   * Registers something to stop with the stack (closers run last-registered first) and returns
   * it wrapped to run once, so the contender can stop it as soon as it is done.
   */
  own(close: () => Promise<unknown>): () => Promise<void>;
  /** Stops everything registered, then Redis and the broker, even when some fail. */
  stop(): Promise<void>;
}

/**
 * Topics of a contender, named short: predictions carry their input topic's name, and a
 * production topic name is a word or two, not a benchmark's label.
 */
function contenderTopics(contender: string): ContenderTopics {
  const name = contender.replace('at-least-once', 'alo').replace('exactly-once', 'eos');
  return { input: `${name}-in`, output: `${name}-out`, deadLetter: `${name}-dlq` };
}

/**
 * Starts one librdkafka mock broker (real Kafka protocol on loopback) with every contender's
 * topics, and a redis-server of its own on a free port (never the shared one).
 */
export async function startBenchStack(
  contenders: readonly string[],
  partitions: number,
  logger: Logger,
): Promise<BenchStack> {
  const closers: (() => Promise<unknown>)[] = [];
  const topics: KafkaTopicSpec[] = contenders.flatMap((contender) => {
    const names = contenderTopics(contender);
    return [
      { name: names.input, partitions },
      { name: names.output, partitions },
      { name: names.deadLetter, partitions: 1 },
    ];
  });
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, 'stop failed'));
    }
  };
  try {
    // allSettled: when one fails to start, the other still gets stopped.
    const [broker, redisServer] = await Promise.allSettled([
      startKafkaMock({ brokers: 1, topics }),
      startRedis(),
    ]);
    if (broker.status === 'fulfilled') closers.push(() => broker.value.stop());
    if (redisServer.status === 'fulfilled') closers.push(() => redisServer.value.stop());
    if (broker.status === 'rejected') throw broker.reason;
    if (redisServer.status === 'rejected') throw redisServer.reason;
    const bootstrapServers = broker.value.bootstrapServers;
    const redisUrl = redisServer.value.url;
    const redis = await createRedisConnection({ url: redisUrl });
    closers.push(() => redis.quit());
    const kafka = createKafkaClient({
      brokers: bootstrapServers,
      clientId: 'rnnflow-bench',
      log: ({ level, message, fields }) => logger[level](fields, message),
    });
    closers.push(() => kafka.close());
    let sessions = 0;
    const freshTopics = async (contender: string) => {
      sessions += 1;
      const names = contenderTopics(`${contender}-${sessions}`);
      await broker.value.createTopic(names.input, partitions);
      await broker.value.createTopic(names.output, partitions);
      await broker.value.createTopic(names.deadLetter, 1);
      return names;
    };
    return {
      brokers: bootstrapServers,
      redisUrl,
      kafka,
      redis,
      topics: contenderTopics,
      freshTopics,
      own: (close) => {
        let closing: Promise<void> | undefined;
        const once = () => (closing ??= close().then(() => undefined));
        closers.push(once);
        return once;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
