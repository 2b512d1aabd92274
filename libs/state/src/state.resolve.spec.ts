import { describe, expect, it } from 'vitest';
import { encodeState, parseFingerprint } from './state.codec.js';
import { resolveState } from './state.resolve.js';
import type { StateRecord } from './state.types.js';

const fingerprint = parseFingerprint('00112233445566778899');
const options = { fingerprint, layout: [2], precision: 'float32' as const };

function record(offset: number): StateRecord {
  return {
    modelVersion: 1,
    step: offset,
    offset,
    updatedAtMs: 0,
    ended: false,
    vectors: [Float32Array.of(offset, 1)],
  };
}
const stableAt = (offset: number) =>
  encodeState(record(offset), { fingerprint, precision: 'float32' });
function pendingAt(offset: number, tag: number): Buffer {
  const head = Buffer.alloc(8);
  head.writeDoubleLE(tag);
  return Buffer.concat([head, stableAt(offset)]);
}

describe('resolveState', () => {
  it('uses the stable record when there is no pending one', () => {
    expect(resolveState(stableAt(5), null, 10, options)).toEqual({
      state: { record: record(5), source: 'stable' },
      corrupt: [],
    });
    expect(resolveState(null, null, 10, options)).toEqual({ state: undefined, corrupt: [] });
  });

  it('uses a committed pending record (C > L) newer than the stable one', () => {
    expect(resolveState(stableAt(5), pendingAt(8, 9), 10, options).state).toEqual({
      record: record(8),
      source: 'pending',
    });
    expect(resolveState(null, pendingAt(8, 9), 10, options).state?.source).toBe('pending');
  });

  it('ignores an uncommitted pending record (C <= L)', () => {
    expect(resolveState(stableAt(5), pendingAt(8, 10), 10, options).state?.record.offset).toBe(5);
    expect(resolveState(null, pendingAt(8, 12), 10, options).state).toBeUndefined();
  });

  it('ignores pending records when no committed offset is given', () => {
    expect(
      resolveState(stableAt(5), pendingAt(8, 9), undefined, options).state?.record.offset,
    ).toBe(5);
  });

  it('keeps the stable record when it is newer than a committed pending one', () => {
    expect(resolveState(stableAt(9), pendingAt(8, 8), 10, options).state?.source).toBe('stable');
  });

  it('reports corrupt parts next to a usable state', () => {
    const resolution = resolveState(stableAt(5).subarray(0, 20), pendingAt(8, 9), 10, options);
    expect(resolution.state?.source).toBe('pending');
    expect(resolution.corrupt).toEqual([
      expect.objectContaining({ part: 'stable', reason: 'truncated' }),
    ]);
    expect(resolveState(null, Buffer.from([1, 2]), 10, options).corrupt).toEqual([
      expect.objectContaining({ part: 'pending', reason: 'truncated' }),
    ]);
  });
});
