export const MODEL_HEADER = 'rnnflow-model';
export const MODEL_VERSION_HEADER = 'rnnflow-model-version';

/** What a batch's predictions share: where their events came from, and the model. */
export interface PredictionBatch {
  topic: string;
  partition: number;
  model: string;
  version: number;
}

/** What one prediction says beyond its batch; see the README's "Output record" contract. */
export interface Prediction {
  /** The entity id's bytes, as consumed (valid UTF-8). */
  key: Buffer;
  offset: number;
  /** 1 for a key's first event after it started or ended. */
  step: number;
  /** The batch's outputs, `outputSize` floats a row. */
  outputs: Float32Array;
  row: number;
  /** The input event's time, epoch ms. */
  eventTime: number;
}

/** The longest text JavaScript writes for a number (`-1.7976931348623157e+308`). */
const NUMBER_BYTES = 24;
/** Smallest buffer started when a value does not fit (the first one is sized for the batch). */
const MIN_CHUNK_BYTES = 64 * 1024;
/** Key size the first buffer is sized for; longer keys start another buffer when needed. */
const TYPICAL_KEY_BYTES = 32;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEAD = Buffer.from('{"key":');
const OUTPUT = Buffer.from(',"output":[');
const TIME = Buffer.from('],"ts":');

/**
 * Writes prediction values — JSON `{"key", "source", "model", "step", "output", "ts"}`, byte
 * for byte what `JSON.stringify` gives — as UTF-8 into one buffer per batch; each value is a
 * view of it. It runs once per prediction on the event loop: the parts a batch shares are
 * encoded once, and no string is built per prediction but the numbers' digits.
 */
export class PredictionEncoder {
  private readonly source: Buffer;
  private readonly model: Buffer;
  /** Bytes a value takes at most besides its key. */
  private readonly mostFixedBytes: number;
  private chunk: Buffer;
  private position = 0;

  constructor(
    batch: PredictionBatch,
    private readonly outputSize: number,
    expectedValues: number,
  ) {
    this.source = Buffer.from(
      `,"source":{"topic":${JSON.stringify(batch.topic)},"partition":${batch.partition},"offset":`,
    );
    this.model = Buffer.from(
      `},"model":{"name":${JSON.stringify(batch.model)},"version":${batch.version}},"step":`,
    );
    this.mostFixedBytes =
      HEAD.length +
      this.source.length +
      this.model.length +
      OUTPUT.length +
      TIME.length +
      3 + // the key's quotes and the closing brace
      (NUMBER_BYTES + 1) * (outputSize + 3);
    // Sized for the batch: a batch of a few predictions (the usual one under a live stream)
    // then takes a slice of Node's shared buffer pool instead of a fresh 64 KiB.
    this.chunk = Buffer.allocUnsafe(expectedValues * this.mostBytes(TYPICAL_KEY_BYTES));
  }

  encode(prediction: Prediction): Buffer {
    this.reserve(this.mostBytes(prediction.key.length));
    const start = this.position;
    this.put(HEAD);
    this.putKey(prediction.key);
    this.put(this.source);
    this.putNumber(prediction.offset);
    this.put(this.model);
    this.putNumber(prediction.step);
    this.put(OUTPUT);
    const first = prediction.row * this.outputSize;
    for (let index = 0; index < this.outputSize; index += 1) {
      if (index > 0) this.chunk[this.position++] = 0x2c; // ,
      this.putNumber(prediction.outputs[first + index]);
    }
    this.put(TIME);
    this.putNumber(prediction.eventTime);
    this.chunk[this.position++] = 0x7d; // }
    return this.chunk.subarray(start, this.position);
  }

  /** Bytes a value may take at most, for a key of `keyBytes` bytes (escaped: 6 bytes each). */
  private mostBytes(keyBytes: number): number {
    return this.mostFixedBytes + 6 * keyBytes;
  }

  /** Starts a new chunk when the next value might not fit; earlier values keep theirs. */
  private reserve(bytes: number): void {
    if (this.position + bytes <= this.chunk.length) return;
    this.chunk = Buffer.allocUnsafe(Math.max(MIN_CHUNK_BYTES, bytes));
    this.position = 0;
  }

  private put(bytes: Buffer): void {
    this.chunk.set(bytes, this.position);
    this.position += bytes.length;
  }

  /**
   * The key as a JSON string. Valid UTF-8 without quotes, backslashes or control characters is
   * its own JSON text between quotes; any other key is escaped by `JSON.stringify`.
   */
  private putKey(key: Buffer): void {
    if (!needsEscape(key)) {
      this.chunk[this.position++] = QUOTE;
      this.put(key);
      this.chunk[this.position++] = QUOTE;
      return;
    }
    const text = JSON.stringify(key.toString('utf8'));
    this.position += this.chunk.write(text, this.position, 'utf8');
  }

  /** A number as JSON writes it (non-finite values become null), in ASCII. */
  private putNumber(value: number): void {
    if (Number.isSafeInteger(value)) {
      this.putInteger(value);
      return;
    }
    const text = Number.isFinite(value) ? String(value) : 'null';
    for (let index = 0; index < text.length; index += 1) {
      this.chunk[this.position++] = text.charCodeAt(index);
    }
  }

  /** Digits written in place: offsets, steps and timestamps need no string of their own. */
  private putInteger(value: number): void {
    const chunk = this.chunk;
    if (value < 0) chunk[this.position++] = 0x2d; // -
    let rest = Math.abs(value);
    let last = this.position;
    do {
      chunk[last++] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    // Written last digit first: reverse them.
    for (let left = this.position, right = last - 1; left < right; left += 1, right -= 1) {
      const digit = chunk[left];
      chunk[left] = chunk[right];
      chunk[right] = digit;
    }
    this.position = last;
  }
}

function needsEscape(key: Buffer): boolean {
  for (let index = 0; index < key.length; index += 1) {
    const byte = key[index];
    if (byte < 0x20 || byte === QUOTE || byte === BACKSLASH) return true;
  }
  return false;
}
