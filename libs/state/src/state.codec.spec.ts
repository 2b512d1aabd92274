import { describe, expect, it } from 'vitest';
import {
  FORMAT_VERSION,
  OFFSET_POSITION,
  decodeState,
  encodeState,
  encodedLength,
  parseFingerprint,
} from './state.codec.js';
import type { StateRecord } from './state.types.js';

const fingerprint = parseFingerprint('0123456789abcdef');
const layout = [64, 64];

function lstmRecord(overrides: Partial<StateRecord> = {}): StateRecord {
  const h = Float32Array.from({ length: 64 }, (_, index) => Math.sin(index) * 0.9);
  const c = Float32Array.from({ length: 64 }, (_, index) => Math.cos(index) * 3.1);
  return {
    modelVersion: 12,
    step: 41,
    offset: 2 ** 40 + 7,
    updatedAtMs: 1_764_000_000_123,
    ended: false,
    vectors: [h, c],
    ...overrides,
  };
}

const float32 = { fingerprint, precision: 'float32' as const };
const decodeOptions = { fingerprint, layout, precision: 'float32' as const };
const decodeFloat16 = { ...decodeOptions, precision: 'float16' as const };

describe('state codec', () => {
  it('round-trips a float32 LSTM record exactly', () => {
    const record = lstmRecord();
    const decoded = decodeState(encodeState(record, float32), decodeOptions);
    expect(decoded).toEqual({ ok: true, record });
  });

  it('encodes one LSTM layer of 64 units in 512 value bytes plus a 39-byte header', () => {
    const blob = encodeState(lstmRecord(), float32);
    const length = encodedLength(layout, { precision: 'float32' });
    expect(blob.length).toBe(length);
    expect(length).toBe(512 + 35 + 4);
  });

  it('keeps the offset at its fixed position for the Lua scripts', () => {
    const blob = encodeState(lstmRecord({ offset: 123_456_789 }), float32);
    expect(blob[0]).toBe(FORMAT_VERSION);
    expect(blob.readDoubleLE(OFFSET_POSITION)).toBe(123_456_789);
  });

  it('halves value bytes in float16, within float16 precision', () => {
    const record = lstmRecord();
    const blob = encodeState(record, { fingerprint, precision: 'float16' });
    expect(blob.length).toBe(encodedLength(layout, { precision: 'float16' }));
    const decoded = decodeState(blob, decodeFloat16);
    if (!decoded.ok) throw new Error(decoded.message);
    decoded.record.vectors.forEach((vector, which) => {
      vector.forEach((value, index) => {
        const original = record.vectors[which][index];
        expect(Math.abs(value - original)).toBeLessThanOrEqual(
          Math.abs(original) * 2 ** -11 + 2 ** -24,
        );
      });
    });
  });

  it('saturates float16 values beyond its range instead of storing infinities', () => {
    const record = lstmRecord({ vectors: [Float32Array.of(1e6, -7e4, 0.5), Float32Array.of(0)] });
    const decoded = decodeState(encodeState(record, { fingerprint, precision: 'float16' }), {
      ...decodeFloat16,
      layout: [3, 1],
    });
    if (!decoded.ok) throw new Error(decoded.message);
    expect(Array.from(decoded.record.vectors[0])).toEqual([65504, -65504, 0.5]);
  });

  it('round-trips recent inputs', () => {
    const recentInputs = [Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6)];
    const record = lstmRecord({ recentInputs });
    const blob = encodeState(record, float32);
    expect(blob.length).toBe(
      encodedLength(layout, {
        precision: 'float32',
        recentInputs: { rows: 2, width: 3 },
      }),
    );
    expect(decodeState(blob, decodeOptions)).toEqual({ ok: true, record });
  });

  it('round-trips the last output together with recent inputs', () => {
    const record = lstmRecord({
      lastOutput: Float32Array.of(0.25, -7),
      recentInputs: [Float32Array.of(1, 2, 3)],
    });
    const blob = encodeState(record, float32);
    expect(blob.length).toBe(
      encodedLength(layout, {
        precision: 'float32',
        recentInputs: { rows: 1, width: 3 },
        lastOutput: 2,
      }),
    );
    expect(decodeState(blob, decodeOptions)).toEqual({ ok: true, record });
  });

  it('stores a tombstone without vectors but with its offset', () => {
    const record = lstmRecord({ ended: true, vectors: [] });
    const blob = encodeState(lstmRecord({ ended: true }), float32);
    expect(blob.length).toBe(encodedLength([], { precision: 'float32' }));
    expect(decodeState(blob, decodeOptions)).toEqual({ ok: true, record });
  });

  it('carries the model version as a uint32', () => {
    const record = lstmRecord({ modelVersion: 0xfffffffe });
    expect(decodeState(encodeState(record, float32), decodeOptions)).toEqual({ ok: true, record });
  });

  it.each([0, 5, 34, 36, 38, 100, 550])('reports a record cut at %i bytes as truncated', (cut) => {
    const blob = encodeState(lstmRecord(), float32).subarray(0, cut);
    expect(decodeState(blob, decodeOptions)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('reports an unknown format version', () => {
    const blob = encodeState(lstmRecord(), float32);
    blob[0] = 9;
    expect(decodeState(blob, decodeOptions)).toMatchObject({
      ok: false,
      reason: 'unknown-version',
    });
  });

  it('reports a record of another architecture', () => {
    const blob = encodeState(lstmRecord(), {
      fingerprint: parseFingerprint('ffffffffffffffff'),
      precision: 'float32',
    });
    expect(decodeState(blob, decodeOptions)).toMatchObject({
      ok: false,
      reason: 'foreign-fingerprint',
    });
  });

  it('reports a record of the other precision as foreign, both ways', () => {
    const half = encodeState(lstmRecord(), { fingerprint, precision: 'float16' });
    expect(decodeState(half, decodeOptions)).toMatchObject({
      ok: false,
      reason: 'foreign-precision',
    });
    expect(decodeState(encodeState(lstmRecord(), float32), decodeFloat16)).toMatchObject({
      ok: false,
      reason: 'foreign-precision',
    });
  });

  it('reports vectors that do not match the model layout', () => {
    const blob = encodeState(lstmRecord(), float32);
    expect(decodeState(blob, { ...decodeOptions, layout: [32, 32] })).toMatchObject({
      ok: false,
      reason: 'layout-mismatch',
    });
  });

  it('reports trailing bytes as malformed', () => {
    const blob = Buffer.concat([encodeState(lstmRecord(), float32), Buffer.from([0])]);
    expect(decodeState(blob, decodeOptions)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses to encode what no reader could take', () => {
    expect(() => encodeState(lstmRecord({ offset: -1 }), float32)).toThrow(RangeError);
    expect(() => encodeState(lstmRecord({ offset: 2 ** 53 }), float32)).toThrow(RangeError);
    expect(() => encodeState(lstmRecord({ step: 2 ** 32 }), float32)).toThrow(RangeError);
    expect(() => encodeState(lstmRecord({ modelVersion: 2 ** 32 }), float32)).toThrow(RangeError);
    expect(() => encodeState(lstmRecord({ modelVersion: 1.5 }), float32)).toThrow(RangeError);
    expect(() => parseFingerprint('xyz')).toThrow(RangeError);
  });
});
