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

  it('keeps null keys and tombstone values as null', () => {
    const message = deadLetterMessage(
      { ...record, key: null, value: null, headers: {} },
      { code: 'missing-key', reason: 'no key', sourceTopic: 't', partition: 0, offset: '1' },
    );
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
  });
});
