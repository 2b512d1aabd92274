/** Why a record was skipped; stable codes (the predictor dead-letters the same records). */
export type SkipReason =
  | 'missing-key'
  | 'key-too-long'
  | 'value-too-large'
  | 'not-json'
  | 'wrong-type'
  | 'not-finite'
  | 'wrong-shape';

/** One consumed record, as the trainer reads it. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Record timestamp, epoch ms. */
  timestamp: number;
}

export type TrainingRecord =
  | {
      kind: 'event';
      key: string;
      features: number[];
      /** The event's `ts` when given, else the record timestamp; epoch ms. */
      eventTime: number;
      target?: number[];
    }
  /** The key's sequence ended: its history must not be continued. */
  | { kind: 'tombstone'; key: string }
  | { kind: 'skip'; reason: SkipReason; message: string };

export const MAX_KEY_BYTES = 256;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Reads one record of the input contract: key = entity id (1–256 bytes); value = JSON
 * `{"features": number[], "ts"?: epoch ms, "target"?: number[]}`, or null to end the key's
 * sequence. Never throws: anything else is a skip with a reason. Vector lengths are checked
 * later, against the model's sizes.
 */
export function parseRecord(record: RawRecord, maxValueBytes: number): TrainingRecord {
  if (record.key === null || record.key.byteLength === 0) {
    return skip('missing-key', 'record has no key: the key must be the entity id');
  }
  if (record.key.byteLength > MAX_KEY_BYTES) {
    return skip('key-too-long', `key has ${record.key.byteLength} bytes, at most ${MAX_KEY_BYTES}`);
  }
  const key = record.key.toString('utf8');
  if (record.value === null) return { kind: 'tombstone', key };
  if (record.value.byteLength > maxValueBytes) {
    return skip(
      'value-too-large',
      `value has ${record.value.byteLength} bytes, more than ${maxValueBytes}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    return skip('not-json', `value is not JSON: ${(error as Error).message}`);
  }
  return parseBody(body, key, record.timestamp);
}

function parseBody(body: unknown, key: string, recordTime: number): TrainingRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return skip('wrong-type', 'value must be a JSON object with a "features" array');
  }
  const { features, ts, target } = body as Record<string, unknown>;
  const checkedFeatures = numberArray(features, 'features');
  if (!Array.isArray(checkedFeatures)) return checkedFeatures;
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    return skip('wrong-type', '"ts" must be a number (epoch milliseconds)');
  }
  const eventTime = ts ?? recordTime;
  if (target === undefined) return { kind: 'event', key, features: checkedFeatures, eventTime };
  const checkedTarget = numberArray(target, 'target');
  if (!Array.isArray(checkedTarget)) return checkedTarget;
  return { kind: 'event', key, features: checkedFeatures, eventTime, target: checkedTarget };
}

function numberArray(value: unknown, field: string): number[] | TrainingRecord {
  if (!Array.isArray(value) || value.length === 0) {
    return skip('wrong-type', `"${field}" must be a non-empty array of numbers`);
  }
  for (let index = 0; index < value.length; index += 1) {
    const element: unknown = value[index];
    if (typeof element !== 'number') {
      return skip('wrong-type', `"${field}"[${index}] is not a number`);
    }
    // JSON has no NaN or Infinity, but 1e999 parses to Infinity, and 1e39 overflows float32.
    if (!(Math.abs(element) <= FLOAT32_MAX)) {
      return skip('not-finite', `"${field}"[${index}] is not a finite float32 number`);
    }
  }
  return value as number[];
}

function skip(reason: SkipReason, message: string): TrainingRecord {
  return { kind: 'skip', reason, message };
}
