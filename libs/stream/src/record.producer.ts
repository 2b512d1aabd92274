import type { TopicMessages } from './stream.records.js';

/** Kafka client library a producer is built on. */
export type ProducerClient = 'kafkajs' | 'librdkafka';

/** What every rnnflow producer does, whichever client library carries the records. */
export interface RecordProducer {
  /** Which client library sends the records. */
  readonly client: ProducerClient;
  /**
   * Sends the records and resolves once every one is acknowledged by all in-sync replicas.
   * Throws a StreamError (retriable when the broker was unavailable); some of the records may
   * have been written then, so a retry can duplicate them (at-least-once).
   */
  sendBatch(topicMessages: readonly TopicMessages[]): Promise<unknown>;
  /** Waits for in-flight records and closes the connections. */
  disconnect(): Promise<void>;
}
