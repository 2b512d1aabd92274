import { endianness } from 'node:os';
import { fromFloat16Bits, toFloat16Bits } from './float16.codec.js';
import type { CorruptReason, StateRecord } from './state.types.js';

/**
 * Binary layout of a state record, format version 1, little-endian:
 *
 * | byte   | size  | field                                                           |
 * |--------|-------|-----------------------------------------------------------------|
 * | 0      | 1     | format version (1)                                              |
 * | 1      | 1     | flags: 1 ended, 2 float16, 4 recent inputs, 8 last output       |
 * | 2      | 8     | offset, float64 — fixed position: the Lua scripts read only it  |
 * | 10     | 8     | architecture fingerprint (first 8 bytes of the model's hash)    |
 * | 18     | 8     | updatedAtMs, float64                                            |
 * | 26     | 4     | step, uint32                                                    |
 * | 30     | 4     | model version (registry version number), uint32                 |
 * | 34     | 1     | k = vector count                                                |
 * | 35     | 2k    | vector lengths, uint16 each                                     |
 * | …      | …     | vector values, float32 (or float16), concatenated               |
 * | …      | 2     | if flag 8: O, then the O values of the key's last output        |
 * | …      | 2 + 2 | if flag 4: W rows, D values per row; then W·D values            |
 *
 * The model name, topic and partition live in the Redis key, not here: a record is only ever read
 * under the key it was written to, so repeating them would cost bytes for no information.
 * Header for one LSTM layer (k = 2): 35 + 4 = 39 bytes.
 */
export const FORMAT_VERSION = 1;
/** Byte position of the float64 offset; `includes/recordOffset.lua` depends on it. */
export const OFFSET_POSITION = 2;
const FINGERPRINT_BYTES = 8;

const FLAG_ENDED = 1;
const FLAG_FLOAT16 = 2;
const FLAG_RECENT_INPUTS = 4;
const FLAG_LAST_OUTPUT = 8;
const FIXED_HEADER_BYTES = 35;
const MAX_VECTOR_LENGTH = 0xffff;

/** Storage precision of state values: float16 halves the bytes, at ~3 significant digits. */
export type Precision = 'float32' | 'float16';

export interface EncodeOptions {
  /** 8 bytes identifying the model architecture (see `parseFingerprint`). */
  fingerprint: Buffer;
  precision: Precision;
}

export interface DecodeOptions {
  fingerprint: Buffer;
  /** Expected vector lengths, e.g. `[64, 64]` for one LSTM layer with 64 units. */
  layout: readonly number[];
  /**
   * The precision the reader stores in. A record of the other precision is foreign, like one of
   * another architecture: a deployment never mixes precisions, so switching starts keys afresh.
   */
  precision: Precision;
}

export type DecodeResult =
  { ok: true; record: StateRecord } | { ok: false; reason: CorruptReason; message: string };

if (endianness() !== 'LE') {
  // Vectors are copied as raw bytes; a big-endian host would need a byte-swapping path.
  throw new Error('@rnnflow/state supports little-endian hosts only');
}

/** Turns 16 hex digits (or more: the first 16 count) into the 8 fingerprint bytes. */
export function parseFingerprint(hex: string): Buffer {
  if (!/^[0-9a-f]{16}/i.test(hex)) {
    throw new RangeError(`architecture fingerprint must start with 16 hex digits, got "${hex}"`);
  }
  return Buffer.from(hex.slice(0, 16), 'hex');
}

/** Bytes `encodeState` will produce for a record of this shape. */
export function encodedLength(
  layout: readonly number[],
  options: {
    precision: Precision;
    recentInputs?: { rows: number; width: number };
    lastOutput?: number;
  },
): number {
  const valueBytes = options.precision === 'float16' ? 2 : 4;
  const values = layout.reduce((sum, length) => sum + length, 0);
  const lastOutput = options.lastOutput === undefined ? 0 : 2 + options.lastOutput * valueBytes;
  const recent = options.recentInputs
    ? 4 + options.recentInputs.rows * options.recentInputs.width * valueBytes
    : 0;
  return FIXED_HEADER_BYTES + 2 * layout.length + values * valueBytes + lastOutput + recent;
}

/** Encodes a record. Throws RangeError on a record no reader could accept (lengths out of range). */
export function encodeState(record: StateRecord, options: EncodeOptions): Buffer {
  const vectors = record.ended ? [] : record.vectors;
  const recent = record.recentInputs ?? [];
  checkEncodable(record, vectors, recent, options);
  const layout = vectors.map((vector) => vector.length);
  const width = recent[0]?.length ?? 0;
  const recentShape = recent.length > 0 ? { rows: recent.length, width } : undefined;
  const lastOutput = record.lastOutput;
  // Every byte is written below; unpooled zeroing would only cost time.
  const out = Buffer.allocUnsafe(
    encodedLength(layout, {
      precision: options.precision,
      recentInputs: recentShape,
      lastOutput: lastOutput?.length,
    }),
  );
  const float16 = options.precision === 'float16';
  out[0] = FORMAT_VERSION;
  out[1] =
    (record.ended ? FLAG_ENDED : 0) |
    (float16 ? FLAG_FLOAT16 : 0) |
    (recentShape ? FLAG_RECENT_INPUTS : 0) |
    (lastOutput ? FLAG_LAST_OUTPUT : 0);
  out.writeDoubleLE(record.offset, OFFSET_POSITION);
  options.fingerprint.copy(out, 10, 0, FINGERPRINT_BYTES);
  out.writeDoubleLE(record.updatedAtMs, 18);
  out.writeUInt32LE(record.step, 26);
  out.writeUInt32LE(record.modelVersion, 30);
  out[34] = vectors.length;
  let position = 35;
  for (const length of layout) position = out.writeUInt16LE(length, position);
  for (const vector of vectors) position = writeValues(out, position, vector, float16);
  if (lastOutput) {
    position = out.writeUInt16LE(lastOutput.length, position);
    position = writeValues(out, position, lastOutput, float16);
  }
  if (recentShape) {
    position = out.writeUInt16LE(recentShape.rows, position);
    position = out.writeUInt16LE(width, position);
    for (const row of recent) position = writeValues(out, position, row, float16);
  }
  return out;
}

function checkEncodable(
  record: StateRecord,
  vectors: Float32Array[],
  recent: Float32Array[],
  options: EncodeOptions,
): void {
  if (options.fingerprint.length < FINGERPRINT_BYTES)
    throw new RangeError('fingerprint needs 8 bytes');
  if (!Number.isSafeInteger(record.offset) || record.offset < 0) {
    throw new RangeError(`offset must be a whole number in [0, 2^53), got ${record.offset}`);
  }
  checkUint32('step', record.step);
  checkUint32('modelVersion', record.modelVersion);
  // Plain loops: this runs for every state written, and closures would allocate each time.
  let vectorsFit = vectors.length <= 0xff && (record.lastOutput?.length ?? 0) <= MAX_VECTOR_LENGTH;
  for (let index = 0; vectorsFit && index < vectors.length; index += 1)
    vectorsFit = vectors[index].length <= MAX_VECTOR_LENGTH;
  if (!vectorsFit) throw new RangeError('at most 255 state vectors of at most 65535 values each');
  const width = recent[0]?.length ?? 0;
  let recentFits = recent.length <= 0xffff && width <= MAX_VECTOR_LENGTH;
  for (let index = 1; recentFits && index < recent.length; index += 1)
    recentFits = recent[index].length === width;
  if (!recentFits) {
    throw new RangeError('recentInputs: at most 65535 rows, all of one length ≤ 65535');
  }
}

function checkUint32(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${field} must be a uint32, got ${value}`);
  }
}

function writeValues(
  out: Buffer,
  position: number,
  values: Float32Array,
  float16: boolean,
): number {
  if (!float16) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), position);
    return position + values.byteLength;
  }
  for (const value of values) {
    position = out.writeUInt16LE(toFloat16Bits(saturated(value)), position);
  }
  return position;
}

/** Largest finite float16. */
const FLOAT16_MAX = 65504;

/** A value beyond float16's range is stored as ±65504, not ±Infinity, which would poison the next step. */
function saturated(value: number): number {
  return value > FLOAT16_MAX ? FLOAT16_MAX : value < -FLOAT16_MAX ? -FLOAT16_MAX : value;
}

/** Decodes a stored record, returning a typed reason instead of throwing when it is unusable. */
export function decodeState(blob: Buffer, options: DecodeOptions): DecodeResult {
  if (blob.length < 1) return corrupt('truncated', 'empty record');
  if (blob[0] !== FORMAT_VERSION) {
    return corrupt(
      'unknown-version',
      `format version ${blob[0]}, this reader knows ${FORMAT_VERSION}`,
    );
  }
  if (blob.length < FIXED_HEADER_BYTES)
    return corrupt('truncated', `header cut at ${blob.length} bytes`);
  const fingerprint = blob.subarray(10, 10 + FINGERPRINT_BYTES);
  if (!fingerprint.equals(options.fingerprint.subarray(0, FINGERPRINT_BYTES))) {
    return corrupt(
      'foreign-fingerprint',
      `written by architecture ${fingerprint.toString('hex')}, expected ${options.fingerprint.toString('hex', 0, FINGERPRINT_BYTES)}`,
    );
  }
  const stored: Precision = (blob[1] & FLAG_FLOAT16) !== 0 ? 'float16' : 'float32';
  if (stored !== options.precision) {
    return corrupt(
      'foreign-precision',
      `stored in ${stored}, this store reads and writes ${options.precision}`,
    );
  }
  try {
    return decodeBody(blob, options.layout);
  } catch (error) {
    if (error instanceof RangeError)
      return corrupt('truncated', `record cut short: ${error.message}`);
    throw error;
  }
}

function decodeBody(blob: Buffer, expectedLayout: readonly number[]): DecodeResult {
  const flags = blob[1];
  const ended = (flags & FLAG_ENDED) !== 0;
  const float16 = (flags & FLAG_FLOAT16) !== 0;
  const count = blob[34];
  let position = FIXED_HEADER_BYTES;
  const layout: number[] = [];
  for (let index = 0; index < count; index += 1, position += 2)
    layout.push(blob.readUInt16LE(position));
  if (!ended && !sameLayout(layout, expectedLayout)) {
    return corrupt(
      'layout-mismatch',
      `vectors [${layout.join(', ')}], model expects [${expectedLayout.join(', ')}]`,
    );
  }
  const vectors: Float32Array[] = [];
  for (const length of layout) {
    vectors.push(readValues(blob, position, length, float16));
    position += length * (float16 ? 2 : 4);
  }
  const record: StateRecord = {
    modelVersion: blob.readUInt32LE(30),
    step: blob.readUInt32LE(26),
    offset: blob.readDoubleLE(OFFSET_POSITION),
    updatedAtMs: blob.readDoubleLE(18),
    ended,
    vectors,
  };
  if (flags & FLAG_LAST_OUTPUT) {
    const length = blob.readUInt16LE(position);
    record.lastOutput = readValues(blob, position + 2, length, float16);
    position += 2 + length * (float16 ? 2 : 4);
  }
  if (flags & FLAG_RECENT_INPUTS) {
    const rows = blob.readUInt16LE(position);
    const width = blob.readUInt16LE(position + 2);
    position += 4;
    record.recentInputs = [];
    for (let row = 0; row < rows; row += 1, position += width * (float16 ? 2 : 4)) {
      record.recentInputs.push(readValues(blob, position, width, float16));
    }
  }
  if (position !== blob.length) {
    return corrupt('malformed', `${blob.length - position} bytes after the last value`);
  }
  return { ok: true, record };
}

function sameLayout(actual: readonly number[], expected: readonly number[]): boolean {
  return (
    actual.length === expected.length && actual.every((length, index) => length === expected[index])
  );
}

function readValues(
  blob: Buffer,
  position: number,
  length: number,
  float16: boolean,
): Float32Array {
  const bytes = length * (float16 ? 2 : 4);
  if (position + bytes > blob.length) throw new RangeError(`${bytes} value bytes at ${position}`);
  const values = new Float32Array(length);
  if (!float16) {
    new Uint8Array(values.buffer).set(blob.subarray(position, position + bytes));
    return values;
  }
  for (let index = 0; index < length; index += 1) {
    values[index] = fromFloat16Bits(blob.readUInt16LE(position + 2 * index));
  }
  return values;
}

function corrupt(reason: CorruptReason, message: string): DecodeResult {
  return { ok: false, reason, message };
}
