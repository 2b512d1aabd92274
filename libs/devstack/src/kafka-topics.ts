import { KafkaTopicSpecError } from './kafka-topics.errors.js';

/** A topic to create when the broker starts. */
export interface KafkaTopicSpec {
  /** Kafka topic name: 1–249 characters of `[a-zA-Z0-9._-]`. */
  name: string;
  /** Partition count, 1–10000. */
  partitions: number;
}

/** The predictor's default topics: input events, predictions, and the dead-letter queue. */
export const DEFAULT_DEV_TOPICS: readonly KafkaTopicSpec[] = Object.freeze([
  { name: 'events', partitions: 6 },
  { name: 'predictions', partitions: 6 },
  { name: 'events.dlq', partitions: 1 },
]);

/** Upper bound of the launcher; a development broker never needs more. */
const MAX_TOPIC_PARTITIONS = 10_000;

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Parses `name:partitions` (e.g. `events:6`), the form of the `--topic` flag.
 * Throws {@link KafkaTopicSpecError} naming the offending text.
 */
export function parseTopicSpec(text: string): KafkaTopicSpec {
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    throw new KafkaTopicSpecError(`"${text}" is not name:partitions (e.g. events:6)`);
  }
  const partitionsText = text.slice(colon + 1);
  if (!/^\d+$/.test(partitionsText)) {
    throw new KafkaTopicSpecError(
      `"${text}": partitions must be a whole number, got "${partitionsText}"`,
    );
  }
  return validateTopic({ name: text.slice(0, colon), partitions: Number(partitionsText) });
}

/** Checks one topic's name and partition count; returns it unchanged when valid. */
export function validateTopic(topic: KafkaTopicSpec): KafkaTopicSpec {
  if (!TOPIC_NAME.test(topic.name) || topic.name === '.' || topic.name === '..') {
    throw new KafkaTopicSpecError(
      `topic name "${topic.name}" is invalid: use 1-249 characters of a-z A-Z 0-9 . _ -`,
    );
  }
  if (
    !Number.isInteger(topic.partitions) ||
    topic.partitions < 1 ||
    topic.partitions > MAX_TOPIC_PARTITIONS
  ) {
    throw new KafkaTopicSpecError(
      `topic "${topic.name}": partitions must be 1-${MAX_TOPIC_PARTITIONS}, got ${topic.partitions}`,
    );
  }
  return topic;
}

/** Validates a topic list and rejects duplicate names (the second would silently be ignored). */
export function validateTopics(topics: readonly KafkaTopicSpec[]): KafkaTopicSpec[] {
  const seen = new Set<string>();
  return topics.map((topic) => {
    validateTopic(topic);
    if (seen.has(topic.name)) {
      throw new KafkaTopicSpecError(`topic "${topic.name}" is given more than once`);
    }
    seen.add(topic.name);
    return topic;
  });
}
