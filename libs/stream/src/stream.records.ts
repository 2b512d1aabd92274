import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Record headers: a name maps to one value, or to several when the name repeats. */
export type RecordHeaders = Readonly<Record<string, Buffer | readonly Buffer[]>>;

/** One record read from Kafka. */
export interface ConsumedRecord {
  /** Raw key bytes; null when the producer sent none. */
  key: Buffer | null;
  /** Raw value bytes; null for a tombstone. */
  value: Buffer | null;
  /** Offset in its partition, an int64 as a decimal string. */
  offset: string;
  /** Record timestamp (create or log-append time, as the topic says), epoch ms. */
  timestamp: number;
  headers: RecordHeaders;
}

/** One record to produce. Strings are sent as UTF-8. */
export interface OutgoingMessage {
  /** Partitioning key; records with the same key land in the same partition. */
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Readonly<Record<string, Buffer | string | readonly (Buffer | string)[]>>;
  /** Explicit partition; by default the key's murmur2 hash (Java-compatible) picks it. */
  partition?: number;
  /** Record timestamp, epoch ms; default: now. */
  timestamp?: number;
}

/** Records for one topic. */
export interface TopicMessages {
  topic: string;
  messages: readonly OutgoingMessage[];
}

/** The first value of header `name`, or undefined when absent. */
export function headerValue(record: ConsumedRecord, name: string): Buffer | undefined {
  const value = record.headers[name];
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value : (value as readonly Buffer[])[0];
}

const toBuffer = (value: Buffer | string): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value);

function toRecordHeaders(headers: IHeaders | undefined): RecordHeaders {
  const result: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map(toBuffer) : toBuffer(value);
  }
  return result;
}

/** Our view of a kafkajs message. */
export function toConsumedRecord(message: KafkaMessage): ConsumedRecord {
  return {
    key: message.key ?? null,
    value: message.value,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    headers: toRecordHeaders(message.headers),
  };
}

/** The kafkajs form of an outgoing message. */
export function toKafkaMessage(message: OutgoingMessage): Message {
  return {
    key: message.key ?? null,
    value: message.value,
    headers: message.headers as IHeaders | undefined,
    partition: message.partition,
    timestamp: message.timestamp === undefined ? undefined : String(message.timestamp),
  };
}
