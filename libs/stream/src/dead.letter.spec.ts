import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, deadLetterMessage } from './dead.letter.js';
import type { ConsumedRecord } from './stream.records.js';

const record: ConsumedRecord = {
  key: Buffer.from([0xff, 0x00, 0x41]),
  value: Buffer.from('{"features": [1, "x"]}'),
  offset: '9007199254740993',
  timestamp: 1_700_000_000_000,
  headers: { trace: Buffer.from('abc'), [DEAD_LETTER_HEADERS.code]: Buffer.from('stale') },
};

describe('deadLetterMessage', () => {
  it('keeps the original bytes and headers and says why and where from', () => {
    const message = deadLetterMessage(record, {
      code: 'wrong-type',
      reason: 'features[1] is a string',
      sourceTopic: 'events',
      partition: 4,
      offset: record.offset,
    });
    expect(message.key).toBe(record.key);
    expect(message.value).toBe(record.value);
    expect(message.headers).toEqual({
      trace: Buffer.from('abc'),
      'rnnflow-error-code': 'wrong-type',
      'rnnflow-error-reason': 'features[1] is a string',
      'rnnflow-source-topic': 'events',
      'rnnflow-source-partition': '4',
      'rnnflow-source-offset': '9007199254740993',
    });
  });

  it('leaves out a value over the limit and says its size', () => {
    const cause = { code: 'value-too-large', reason: 'too big', sourceTopic: 't', partition: 0 };
    const large = { ...record, value: Buffer.alloc(2_000_000) };
    const message = deadLetterMessage(large, { ...cause, offset: '1', maxValueBytes: 65_536 });
    expect(message.value).toBeNull();
    expect(message.headers?.[DEAD_LETTER_HEADERS.omittedValueBytes]).toBe('2000000');
    const small = deadLetterMessage(record, { ...cause, offset: '2', maxValueBytes: 65_536 });
    expect(small.value).toBe(record.value);
    expect(small.headers?.[DEAD_LETTER_HEADERS.omittedValueBytes]).toBeUndefined();
  });

  it('keeps null keys and tombstone values as null', () => {
    const message = deadLetterMessage(
      { ...record, key: null, value: null, headers: {} },
      { code: 'missing-key', reason: 'no key', sourceTopic: 't', partition: 0, offset: '1' },
    );
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
  });
});
