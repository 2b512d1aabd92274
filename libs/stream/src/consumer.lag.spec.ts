import { describe, expect, it } from 'vitest';
import { partitionLag } from './consumer.lag.js';

const base = { topic: 't', partition: 1, low: '10', high: '100' };

describe('partitionLag', () => {
  it('prefers the consumer position over the committed offset', () => {
    expect(partitionLag({ ...base, committed: '40', position: '70' }).lag).toBe(30);
  });

  it('uses the committed offset, or the log start when nothing is committed', () => {
    expect(partitionLag({ ...base, committed: '40' }).lag).toBe(60);
    expect(partitionLag({ ...base, committed: '-1' }).lag).toBe(90);
  });

  it('never reports a negative lag and keeps int64 offsets exact', () => {
    expect(partitionLag({ ...base, committed: '120' }).lag).toBe(0);
    expect(
      partitionLag({ ...base, low: '0', high: '9007199254740995', committed: '9007199254740993' })
        .lag,
    ).toBe(2);
  });
});
