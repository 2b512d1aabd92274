import { requireInteger, TrainingError } from './training.errors.js';

/** One buffered event of a key. */
export interface BufferedEvent {
  /** I input features. */
  readonly features: Float32Array;
  /** The observed target (O values), or null when the event carries none. */
  readonly target: Float32Array | null;
  /** Event time, ms since the epoch. */
  readonly eventTime: number;
}

/** Bounds of an {@link EventBuffer}. */
export interface EventBufferOptions {
  /** I, features per event. */
  readonly inputSize: number;
  /** O, values per target; events without a target are accepted too. */
  readonly targetSize: number;
  /** Newest events kept per key (≥ 2); older ones are dropped first. */
  readonly maxEventsPerKey: number;
  /** Keys kept; beyond it the least recently updated key is evicted. */
  readonly maxKeys: number;
  /**
   * Events kept over all keys, the memory bound (each event costs about `4·(I+O)` bytes plus
   * ~100 bytes of overhead); beyond it least recently updated keys are evicted. Defaults to
   * `maxKeys · maxEventsPerKey`.
   */
  readonly maxTotalEvents?: number;
}

/** Counters for metrics; `evictedKeys` and `droppedEvents` only grow. */
export interface EventBufferStats {
  readonly keys: number;
  readonly events: number;
  /** Keys evicted to respect `maxKeys` / `maxTotalEvents` (not counting {@link EventBuffer.reset}). */
  readonly evictedKeys: number;
  /** Events dropped: the oldest of a full key, and every event of an evicted key. */
  readonly droppedEvents: number;
}

/** A key's events, oldest first, in a list that is compacted now and then (amortized O(1) add). */
class KeyHistory {
  private items: BufferedEvent[] = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  /** Appends, and returns how many old events were dropped to stay within `max`. */
  push(event: BufferedEvent, max: number): number {
    this.items.push(event);
    if (this.length <= max) return 0;
    this.start++;
    if (this.start >= max) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return 1;
  }

  toArray(): BufferedEvent[] {
    return this.items.slice(this.start);
  }
}

/**
 * The recent events of each key, bounded per key, in keys and in total, evicting least recently
 * updated keys first. Events of a key are kept in arrival order (the order of its partition),
 * which is what a recurrent state sees; `eventTime` is kept for time-based splits. Pure memory,
 * no I/O.
 */
export class EventBuffer {
  private readonly histories = new Map<string, KeyHistory>();
  private readonly maxTotalEvents: number;
  private totalEvents = 0;
  private evictedKeys = 0;
  private droppedEvents = 0;

  constructor(private readonly options: EventBufferOptions) {
    requireInteger('inputSize', options.inputSize, 1);
    requireInteger('targetSize', options.targetSize, 0);
    requireInteger('maxEventsPerKey', options.maxEventsPerKey, 2);
    requireInteger('maxKeys', options.maxKeys, 1);
    this.maxTotalEvents = options.maxTotalEvents ?? options.maxKeys * options.maxEventsPerKey;
    requireInteger('maxTotalEvents', this.maxTotalEvents, options.maxEventsPerKey);
  }

  /**
   * Appends an event to `key`, making it the most recently updated key.
   * @param features I finite numbers.
   * @param target O finite numbers (the observed outcome of this event), or undefined.
   * @param eventTime ms since the epoch.
   * @throws TrainingError `TRAINING_BAD_EVENT` for a wrong length or a non-finite value;
   *   the buffer is left unchanged.
   */
  add(
    key: string,
    features: ArrayLike<number>,
    target: ArrayLike<number> | undefined,
    eventTime: number,
  ): void {
    if (!Number.isFinite(eventTime)) {
      throw new TrainingError(
        'TRAINING_BAD_EVENT',
        `key ${key}: eventTime ${eventTime} is not finite`,
      );
    }
    const event: BufferedEvent = {
      features: this.checkedVector(key, 'features', features, this.options.inputSize),
      target:
        target === undefined
          ? null
          : this.checkedVector(key, 'target', target, this.options.targetSize),
      eventTime,
    };
    let history = this.histories.get(key);
    if (history) {
      // Re-inserting moves the key to the end of the Map's order: least recently updated first.
      this.histories.delete(key);
    } else {
      history = new KeyHistory();
    }
    this.histories.set(key, history);
    const dropped = history.push(event, this.options.maxEventsPerKey);
    this.droppedEvents += dropped;
    this.totalEvents += 1 - dropped;
    this.evictWhileOverBounds();
  }

  /** Forgets `key` (a tombstone: its history must not train the next model). True if it existed. */
  reset(key: string): boolean {
    const history = this.histories.get(key);
    if (!history) return false;
    this.totalEvents -= history.length;
    this.histories.delete(key);
    return true;
  }

  /** The events of `key`, oldest first (a copy), or an empty list. */
  events(key: string): BufferedEvent[] {
    return this.histories.get(key)?.toArray() ?? [];
  }

  /** Buffered keys, least recently updated first. */
  keys(): string[] {
    return [...this.histories.keys()];
  }

  stats(): EventBufferStats {
    return {
      keys: this.histories.size,
      events: this.totalEvents,
      evictedKeys: this.evictedKeys,
      droppedEvents: this.droppedEvents,
    };
  }

  private evictWhileOverBounds(): void {
    while (this.histories.size > this.options.maxKeys || this.totalEvents > this.maxTotalEvents) {
      const [oldest, history] = this.histories.entries().next().value as [string, KeyHistory];
      this.histories.delete(oldest);
      this.totalEvents -= history.length;
      this.droppedEvents += history.length;
      this.evictedKeys++;
    }
  }

  private checkedVector(
    key: string,
    name: string,
    values: ArrayLike<number>,
    size: number,
  ): Float32Array {
    if (values.length !== size) {
      throw new TrainingError(
        'TRAINING_BAD_EVENT',
        `key ${key}: ${name} has ${values.length} values, expected ${size}`,
      );
    }
    const vector = Float32Array.from(values);
    const bad = vector.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingError(
        'TRAINING_BAD_EVENT',
        `key ${key}: ${name}[${bad}] is ${values[bad]}, not a finite float32`,
      );
    }
    return vector;
  }
}
