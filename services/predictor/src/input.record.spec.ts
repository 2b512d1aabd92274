import { describe, expect, it } from 'vitest';
import { parseRecord, type RawRecord } from './input.record.js';

const limits = { featureCount: 3, maxValueBytes: 200 };
const record = (
  value: string | Buffer | null,
  key: string | Buffer | null = 'sensor-1',
): RawRecord => ({
  key: typeof key === 'string' ? Buffer.from(key) : key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
  offset: '41',
  timestamp: 1_700_000_000_000,
});

describe('parseRecord', () => {
  it('reads an event, taking ts over the record timestamp', () => {
    expect(parseRecord(record('{"features":[1,2.5,-3],"ts":17,"target":[4]}'), limits)).toEqual({
      kind: 'event',
      key: 'sensor-1',
      offset: 41,
      features: [1, 2.5, -3],
      eventTime: 17,
      target: [4],
    });
    expect(parseRecord(record('{"features":[1,2,3]}'), limits)).toMatchObject({
      eventTime: 1_700_000_000_000,
    });
  });

  it('reads a null value as the end of the key sequence', () => {
    expect(parseRecord(record(null), limits)).toEqual({
      kind: 'tombstone',
      key: 'sensor-1',
      offset: 41,
    });
  });

  it.each([
    ['missing-key', record('{"features":[1,2,3]}', null)],
    ['missing-key', record('{"features":[1,2,3]}', '')],
    ['key-too-long', record('{"features":[1,2,3]}', 'k'.repeat(257))],
    ['key-not-utf8', record('{"features":[1,2,3]}', Buffer.from([0xc3, 0x28]))],
    ['value-too-large', record(`{"features":[1,2,3],"pad":"${'x'.repeat(200)}"}`)],
    ['not-json', record('{"features":[1,2,3]')],
    ['not-json', record(Buffer.from([0xff, 0xfe]))],
    ['wrong-type', record('[1,2,3]')],
    ['wrong-type', record('null')],
    ['wrong-type', record('{"features":"1,2,3"}')],
    ['wrong-type', record('{"values":[1,2,3]}')],
    ['wrong-type', record('{"features":[1,"2",3]}')],
    ['wrong-type', record('{"features":[1,null,3]}')],
    ['wrong-type', record('{"features":[1,2,3],"ts":"yesterday"}')],
    ['wrong-type', record('{"features":[1,2,3],"target":5}')],
    ['wrong-feature-count', record('{"features":[1,2]}')],
    ['wrong-feature-count', record('{"features":[]}')],
    ['not-finite', record('{"features":[1,1e999,3]}')],
    ['not-finite', record('{"features":[1,1e39,3]}')],
    ['not-finite', record('{"features":[1,2,3],"target":[-1e999]}')],
  ])('sends %s to the dead-letter topic with a message', (reason, raw) => {
    const parsed = parseRecord(raw, limits);
    expect(parsed).toMatchObject({ kind: 'dead-letter', reason });
    expect(parsed.kind === 'dead-letter' && parsed.message.length).toBeGreaterThan(10);
  });

  it('accepts a key of exactly 256 bytes in multi-byte UTF-8', () => {
    const key = 'ü'.repeat(128);
    expect(parseRecord(record('{"features":[0,0,0]}', key), limits)).toMatchObject({
      kind: 'event',
      key,
    });
  });
});
