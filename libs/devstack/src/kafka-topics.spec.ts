import { describe, expect, it } from 'vitest';
import { KafkaTopicSpecError } from './kafka-topics.errors.js';
import { DEFAULT_DEV_TOPICS, parseTopicSpec, validateTopics } from './kafka-topics.js';

describe('parseTopicSpec', () => {
  it('reads name and partition count', () => {
    expect(parseTopicSpec('events:6')).toEqual({ name: 'events', partitions: 6 });
    expect(parseTopicSpec('events.dlq:1')).toEqual({ name: 'events.dlq', partitions: 1 });
  });

  it.each([
    ['events', /not name:partitions/],
    ['events:', /whole number/],
    ['events:six', /whole number/],
    ['events:-1', /whole number/],
    ['events:0', /partitions must be 1-10000/],
    ['events:10001', /partitions must be 1-10000/],
    [':6', /topic name "" is invalid/],
    ['bad name:6', /topic name "bad name" is invalid/],
    ['a:b:6', /topic name "a:b" is invalid/],
  ])('rejects %j', (text, message) => {
    expect(() => parseTopicSpec(text)).toThrow(KafkaTopicSpecError);
    expect(() => parseTopicSpec(text)).toThrow(message);
  });

  it('gives the error a stable code', () => {
    expect(() => parseTopicSpec('x')).toThrow(
      expect.objectContaining({ code: 'DEVSTACK_BAD_TOPIC' }),
    );
  });
});

describe('validateTopics', () => {
  it('accepts the default topics', () => {
    expect(validateTopics(DEFAULT_DEV_TOPICS)).toEqual([...DEFAULT_DEV_TOPICS]);
  });

  it('rejects a name given twice', () => {
    expect(() =>
      validateTopics([
        { name: 'a', partitions: 1 },
        { name: 'a', partitions: 2 },
      ]),
    ).toThrow(/"a" is given more than once/);
  });
});
