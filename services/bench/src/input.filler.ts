import type { KafkaClient, OutgoingMessage } from '@rnnflow/stream';
import { BenchOptionError } from './bench.errors.js';

/**
 * Bytes of records per partition in one produce request while filling a topic: what one
 * partition's fetch returns from Kafka (the consumers' 1 MiB `maxBytesPerPartition`). The
 * embedded mock broker answers a fetch with at most one produced batch per partition, so the
 * produce batch size sets the consumers' batch size; this keeps it at Kafka's.
 */
const FETCH_BYTES_PER_PARTITION = 1024 * 1024;
/** Bytes a record takes in a v2 record batch besides its key and value (lengths, deltas, attributes). */
const RECORD_OVERHEAD_BYTES = 16;
/** Produce requests in flight at once. */
const IN_FLIGHT = 2;

/** What to produce where, and in which requests. */
export interface TopicFill {
  topic: string;
  messages: readonly OutgoingMessage[];
  partitions: number;
  /**
   * Records per produce request, as many small producers send them; absent: about
   * {@link FETCH_BYTES_PER_PARTITION} per partition.
   */
  recordsPerRequest?: number;
}

/**
 * Produces the messages to the topic (acks from all replicas) before a contender starts, so each
 * contender reads the same records from the beginning of its own topic, in batches of about
 * {@link FETCH_BYTES_PER_PARTITION} per partition unless the fill asks for smaller requests.
 */
export async function fillTopic(
  kafka: KafkaClient,
  fill: TopicFill,
  onProgress: (sent: number) => void = () => {},
): Promise<void> {
  const { topic, messages, partitions } = fill;
  const chunk = fill.recordsPerRequest ?? partitions * recordsPerFetch(messages);
  // One request per chunk, so each partition's share lands as one record batch.
  const producer = kafka.producer({ maxRecordsPerRequest: chunk });
  try {
    let next = 0;
    let sent = 0;
    const worker = async () => {
      while (next < messages.length) {
        const records = messages.slice(next, next + chunk);
        next += records.length;
        await producer.sendBatch([{ topic, messages: records }]);
        sent += records.length;
        onProgress(sent);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  } finally {
    await producer.disconnect();
  }
  await expectAllRetained(kafka, topic, messages.length, partitions);
}

/**
 * The embedded broker (librdkafka's mock) keeps at most 5 MiB per partition and silently drops
 * the oldest batches beyond that; a contender would then wait for records that are gone.
 */
async function expectAllRetained(
  kafka: KafkaClient,
  topic: string,
  events: number,
  partitions: number,
): Promise<void> {
  const dropped = (await kafka.fetchWatermarks(topic)).filter(({ low }) => BigInt(low) > 0n);
  if (dropped.length === 0) return;
  throw new BenchOptionError(
    `${events} events over ${partitions} partitions exceed what the embedded broker keeps ` +
      `(5 MiB per partition; it dropped the oldest records of ${dropped.length} partitions): ` +
      'raise --partitions or lower --events',
  );
}

/** Records of the sizes in `messages` that fill one partition's fetch. */
function recordsPerFetch(messages: readonly OutgoingMessage[]): number {
  const sample = messages.slice(0, 1000);
  const bytes = sample.reduce((sum, { key, value }) => sum + size(key) + size(value), 0);
  const perRecord = bytes / Math.max(sample.length, 1) + RECORD_OVERHEAD_BYTES;
  return Math.max(1, Math.floor(FETCH_BYTES_PER_PARTITION / perRecord));
}

function size(data: Buffer | string | null | undefined): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}
