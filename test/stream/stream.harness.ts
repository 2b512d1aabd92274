import { randomUUID } from 'node:crypto';
import {
  createKafkaClient,
  type BatchConsumer,
  type BatchConsumerOptions,
  type ConsumedRecord,
  type KafkaClient,
  type KafkaClientOptions,
  type PartitionBatch,
} from '@rnnflow/stream';

/** A unique suffix per test run, so topics and groups never collide with earlier runs. */
export const runId = (): string => randomUUID().slice(0, 8);

/** A client with logs dropped (kafkajs warns on every group rebalance) and short timeouts. */
export function testClient(
  brokers: string[],
  clientId: string,
  extra: Partial<KafkaClientOptions> = {},
): KafkaClient {
  return createKafkaClient({
    brokers,
    clientId,
    logLevel: 'nothing',
    requestTimeoutMs: 10_000,
    ...extra,
  });
}

/** Everything a consumer received, in delivery order. */
export interface Received {
  batches: PartitionBatch[];
  records: (ConsumedRecord & { partition: number })[];
}

/**
 * Runs a batch consumer until `done(received)` is true after a batch, calling `onBatch` first
 * (where a test commits or transacts), then stops it; fails if the consumer crashes.
 * Event-driven: no sleeps.
 */
export async function consumeUntil(
  client: KafkaClient,
  options: BatchConsumerOptions,
  done: (received: Received) => boolean,
  onBatch: (batch: PartitionBatch, consumer: BatchConsumer) => Promise<void> = async () => {},
): Promise<Received> {
  // A short session: librdkafka's mock makes a rejoining group wait almost a whole session
  // timeout for the member that left, even after it sent LeaveGroup.
  let crashed: (error: Error) => void = () => {};
  const consumer = client.batchConsumer({
    maxWaitTimeMs: 200,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 1000,
    ...options,
    onCrash: (error) => {
      options.onCrash?.(error);
      crashed(error);
    },
  });
  const received: Received = { batches: [], records: [] };
  try {
    await new Promise<void>((resolve, reject) => {
      crashed = reject;
      consumer
        .run(async (batch) => {
          await onBatch(batch, consumer);
          received.batches.push(batch);
          received.records.push(
            ...batch.records.map((record) => ({ ...record, partition: batch.partition })),
          );
          if (done(received)) resolve();
        })
        .catch(reject);
    });
  } finally {
    await consumer.stop();
  }
  return received;
}

export const text = (bytes: Buffer | null): string | null =>
  bytes === null ? null : bytes.toString();
