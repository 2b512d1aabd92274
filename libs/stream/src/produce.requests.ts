import type { TopicMessages as KafkaTopicMessages } from 'kafkajs';
import { toKafkaMessage, type TopicMessages } from './stream.records.js';

/**
 * Most records one kafkajs `sendBatch` call gets. kafkajs groups a call's records by partition
 * by copying the partition's array for every record, which is quadratic in the records per
 * partition: a batch of 8k predictions spent a fifth of the predictor's CPU there. Sent as
 * consecutive calls of at most this many records, the grouping stays linear.
 */
const RECORDS_PER_REQUEST = 1000;

/** `topicMessages` in kafkajs form, cut into consecutive requests of at most `limit` records. */
export function produceRequests(
  topicMessages: readonly TopicMessages[],
  limit = RECORDS_PER_REQUEST,
): KafkaTopicMessages[][] {
  const requests: KafkaTopicMessages[][] = [];
  let current: KafkaTopicMessages[] = [];
  let size = 0;
  for (const { topic, messages } of topicMessages) {
    for (let start = 0; start < messages.length;) {
      if (size === limit) {
        requests.push(current);
        current = [];
        size = 0;
      }
      const end = Math.min(messages.length, start + limit - size);
      current.push({ topic, messages: messages.slice(start, end).map(toKafkaMessage) });
      size += end - start;
      start = end;
    }
  }
  if (size > 0) requests.push(current);
  return requests;
}
