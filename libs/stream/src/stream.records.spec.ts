import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { headerValue, toConsumedRecord, toKafkaMessage } from './stream.records.js';

describe('records', () => {
  it('turns a kafkajs message into a ConsumedRecord with Buffer headers and ms timestamps', () => {
    const message = {
      key: Buffer.from('k'),
      value: null,
      offset: '42',
      timestamp: '1700000000123',
      attributes: 0,
      size: 0,
      headers: { one: Buffer.from('1'), many: [Buffer.from('a'), 'b'], gone: undefined },
    } as unknown as KafkaMessage;
    const record = toConsumedRecord(message);
    expect(record).toEqual({
      key: Buffer.from('k'),
      value: null,
      offset: '42',
      timestamp: 1_700_000_000_123,
      headers: { one: Buffer.from('1'), many: [Buffer.from('a'), Buffer.from('b')] },
    });
    expect(headerValue(record, 'many')).toEqual(Buffer.from('a'));
    expect(headerValue(record, 'one')).toEqual(Buffer.from('1'));
    expect(headerValue(record, 'missing')).toBeUndefined();
  });

  it('sends timestamps as kafkajs expects and defaults a missing key to null', () => {
    expect(toKafkaMessage({ value: 'v', timestamp: 5, partition: 2 })).toEqual({
      key: null,
      value: 'v',
      headers: undefined,
      partition: 2,
      timestamp: '5',
    });
  });
});
