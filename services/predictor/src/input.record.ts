/** Why a record went to the dead-letter topic; stable codes, also used as a metric label. */
export type DeadLetterReason =
  | 'missing-key'
  | 'key-too-long'
  | 'key-not-utf8'
  | 'value-too-large'
  | 'not-json'
  | 'wrong-type'
  | 'wrong-feature-count'
  | 'not-finite';

/** One consumed record as the predictor needs it; key and value are the raw bytes. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Kafka offset as a decimal string (int64). */
  offset: string;
  /** Record timestamp, epoch ms. */
  timestamp: number;
}

export type ParsedRecord =
  | {
      kind: 'event';
      key: string;
      offset: number;
      features: number[];
      /** The event's `ts` when given, else the record timestamp; epoch ms. */
      eventTime: number;
      target?: number[];
    }
  | { kind: 'tombstone'; key: string; offset: number }
  | { kind: 'dead-letter'; reason: DeadLetterReason; message: string };

export interface ParseLimits {
  /** Features per event, from the serving model. */
  featureCount: number;
  /** Values larger than this go to the dead-letter topic unparsed. */
  maxValueBytes: number;
}

const MAX_KEY_BYTES = 256;
const FLOAT32_MAX = 3.4028234663852886e38;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks one record against the input contract: key = entity id (UTF-8, 1–256 bytes); value =
 * JSON `{"features": number[I], "ts"?: epoch ms, "target"?: number[]}`, or null to end the key's
 * sequence. Never throws: a bad record becomes a dead letter with a reason a producer can act on.
 */
export function parseRecord(record: RawRecord, limits: ParseLimits): ParsedRecord {
  const key = parseKey(record.key);
  if (typeof key !== 'string') return key;
  const offset = Number(record.offset);
  if (record.value === null) return { kind: 'tombstone', key, offset };
  if (record.value.byteLength > limits.maxValueBytes) {
    return deadLetter(
      'value-too-large',
      `value has ${record.value.byteLength} bytes, more than the ${limits.maxValueBytes} allowed`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    return deadLetter('not-json', `value is not JSON: ${(error as Error).message}`);
  }
  return parseBody(body, key, offset, record.timestamp, limits.featureCount);
}

function parseKey(key: Buffer | null): string | ParsedRecord {
  if (key === null || key.byteLength === 0)
    return deadLetter('missing-key', 'record has no key: the key must be the entity id');
  if (key.byteLength > MAX_KEY_BYTES) {
    return deadLetter(
      'key-too-long',
      `key has ${key.byteLength} bytes, more than the ${MAX_KEY_BYTES} allowed`,
    );
  }
  try {
    return strictUtf8.decode(key);
  } catch {
    return deadLetter('key-not-utf8', 'key is not valid UTF-8');
  }
}

function parseBody(
  body: unknown,
  key: string,
  offset: number,
  recordTime: number,
  featureCount: number,
): ParsedRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return deadLetter('wrong-type', 'value must be a JSON object with a "features" array');
  }
  const { features, ts, target } = body as Record<string, unknown>;
  const checkedFeatures = numberArray(features, 'features');
  if (!Array.isArray(checkedFeatures)) return checkedFeatures;
  if (checkedFeatures.length !== featureCount) {
    return deadLetter(
      'wrong-feature-count',
      `"features" has ${checkedFeatures.length} values, the model takes ${featureCount}`,
    );
  }
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    return deadLetter('wrong-type', '"ts" must be a number (epoch milliseconds)');
  }
  const event: ParsedRecord = {
    kind: 'event',
    key,
    offset,
    features: checkedFeatures,
    eventTime: ts ?? recordTime,
  };
  if (target === undefined) return event;
  const checkedTarget = numberArray(target, 'target');
  if (!Array.isArray(checkedTarget)) return checkedTarget;
  return { ...event, target: checkedTarget };
}

function numberArray(value: unknown, field: string): number[] | ParsedRecord {
  if (!Array.isArray(value))
    return deadLetter('wrong-type', `"${field}" must be an array of numbers`);
  for (let index = 0; index < value.length; index += 1) {
    const element: unknown = value[index];
    if (typeof element !== 'number') {
      return deadLetter(
        'wrong-type',
        `"${field}"[${index}] is ${element === null ? 'null' : typeof element}, not a number`,
      );
    }
    // JSON has no NaN or Infinity, but 1e999 parses to Infinity, and 1e39 becomes Infinity as float32.
    if (!(Math.abs(element) <= FLOAT32_MAX)) {
      return deadLetter('not-finite', `"${field}"[${index}] is not a finite float32 number`);
    }
  }
  return value as number[];
}

function deadLetter(reason: DeadLetterReason, message: string): ParsedRecord {
  return { kind: 'dead-letter', reason, message };
}
