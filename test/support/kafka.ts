import { Kafka, logLevel, type Consumer, type ConsumerConfig, type Producer } from 'kafkajs';

/** kafkajs clients for one test file; `disconnectAll()` in afterAll, so none is left running. */
export class KafkaClients {
  readonly kafka: Kafka;
  private readonly clients: (Producer | Consumer)[] = [];

  constructor(brokers: string[], clientId: string) {
    this.kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
  }

  producer(options: Parameters<Kafka['producer']>[0] = {}): Producer {
    const producer = this.kafka.producer(options);
    this.clients.push(producer);
    return producer;
  }

  /**
   * Reads `topic` from the beginning in consumer group `config.groupId` until `onRecord`
   * returns true, then disconnects. Event-driven: it waits exactly as long as delivery takes.
   * A short fetch wait (unless `config` sets one) keeps `disconnect()`, which waits for the
   * fetch in flight, from adding kafkajs' default 5 s.
   */
  async consumeUntil(
    topic: string,
    config: ConsumerConfig,
    onRecord: (value: string, partition: number) => boolean,
  ): Promise<void> {
    const consumer = this.kafka.consumer({ maxWaitTimeInMs: 250, ...config });
    this.clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              if (onRecord(String(message.value), batch.partition)) resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
  }

  async disconnectAll(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.disconnect()));
  }
}

/**
 * Commits one transaction, aborts a second, then commits a last record `end`, and returns
 * what a `read_committed` consumer reads up to `end`: only `committed-1..3` and `end` when the
 * broker implements transactional isolation.
 */
export async function readAfterCommitAndAbort(clients: KafkaClients, topic: string, run: string) {
  // No `idempotent: true`: kafkajs would then also ask the controller for a non-transactional
  // producer id at connect, and librdkafka's mock names no valid controller ("Broker 0 not
  // found"). Transactions are idempotent anyway: kafkajs sends them through an idempotent producer.
  const producer = clients.producer({ transactionalId: `tx-${run}`, maxInFlightRequests: 1 });
  await producer.connect();
  const sendInTransaction = async (values: string[], outcome: 'commit' | 'abort') => {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: values.map((value) => ({ value })) });
    await (outcome === 'commit' ? transaction.commit() : transaction.abort());
  };
  await sendInTransaction(['committed-1', 'committed-2', 'committed-3'], 'commit');
  await sendInTransaction(['aborted-1', 'aborted-2'], 'abort');
  // Committed after the aborted one: once the reader sees it, it has passed the aborted records.
  await sendInTransaction(['end'], 'commit');

  const seen: string[] = [];
  await clients.consumeUntil(
    topic,
    { groupId: `tx-group-${run}`, readUncommitted: false },
    (value) => {
      seen.push(value);
      return value === 'end';
    },
  );
  return seen;
}
