import { describe, expect, it } from 'vitest';
import { checkPendingTags, checkTtl, writeResult } from './state.requests.js';
import type { StateRecord } from './state.types.js';

const record = (offset: number): StateRecord => ({
  modelVersion: 1,
  step: 1,
  offset,
  updatedAtMs: 0,
  ended: false,
  vectors: [],
});

function pending(batchTag: number, committedOffset: number, offsets: number[]) {
  return {
    mode: 'pending' as const,
    batchTag,
    committedOffset,
    scope: { topic: 't', partition: 0, epoch: 1 },
    entries: offsets.map((offset, index) => ({ key: `k${index}`, record: record(offset) })),
  };
}

describe('write requests', () => {
  it('counts per-key outcomes', () => {
    expect(writeResult([1, 0, 1], 3)).toEqual({
      outcomes: ['applied', 'stale', 'applied'],
      applied: 2,
      stale: 1,
      fenced: false,
    });
    expect(writeResult('fenced', 2)).toEqual({
      outcomes: ['fenced', 'fenced'],
      applied: 0,
      stale: 0,
      fenced: true,
    });
  });

  it('requires a batch tag covering every record and a sane committed offset', () => {
    expect(() => checkPendingTags(pending(10, -1, [3, 10]))).not.toThrow();
    expect(() => checkPendingTags(pending(9, 0, [3, 10]))).toThrow(/batchTag/);
    expect(() => checkPendingTags(pending(10, -2, [3]))).toThrow(/committedOffset/);
    expect(() => checkPendingTags(pending(10.5, 0, [3]))).toThrow(/batchTag/);
  });

  it('accepts whole non-negative TTLs only', () => {
    expect(checkTtl(0)).toBe(0);
    expect(() => checkTtl(-1)).toThrow(RangeError);
    expect(() => checkTtl(1.5)).toThrow(RangeError);
  });
});
