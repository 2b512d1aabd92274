import { EventBuffer, TrainingError, type EventBufferStats } from '@rnnflow/training';
import { parseRecord, type RawRecord, type SkipReason } from './input.record.js';
import { modelShape, type ModelShape } from './model.shape.js';

/** Bounds and label settings of a {@link TrainingIntake}. */
export interface IntakeOptions {
  readonly maxKeys: number;
  readonly eventsPerKey: number;
  readonly maxValueBytes: number;
  /** Feature indices forecast when an event has no target. */
  readonly labelFeatures: readonly number[];
  /** Sizes of the active model, or null: the first event's feature count decides I. */
  readonly champion: { readonly inputSize: number; readonly outputSize: number } | null;
}

/** What one batch of records did to the buffer. */
export interface IntakeResult {
  readonly buffered: number;
  readonly tombstones: number;
  readonly skipped: number;
  /** The first skip of the batch, for the log (a producer can act on it). */
  readonly firstSkip?: { readonly reason: SkipReason; readonly message: string };
}

/**
 * Consumed records into the training buffer: events appended to their key's history,
 * tombstones forget the key, anything unreadable or of the wrong shape is skipped and counted
 * (never thrown, so a bad record cannot stall the consumer).
 */
export class TrainingIntake {
  private buffer: EventBuffer | null = null;
  private currentShape: ModelShape | null = null;
  private readonly skips = new Map<SkipReason, number>();

  constructor(private readonly options: IntakeOptions) {
    if (options.champion) this.createBuffer(options.champion.inputSize);
  }

  /** The buffer rounds read, or null before the first event (no shape yet). */
  get events(): EventBuffer | null {
    return this.buffer;
  }

  /** The model shape, known once there is a champion or a first event. */
  get shape(): ModelShape | null {
    return this.currentShape;
  }

  accept(records: readonly RawRecord[]): IntakeResult {
    let buffered = 0;
    let tombstones = 0;
    let skipped = 0;
    let firstSkip: IntakeResult['firstSkip'];
    const skip = (reason: SkipReason, message: string) => {
      skipped += 1;
      firstSkip ??= { reason, message };
      this.skips.set(reason, (this.skips.get(reason) ?? 0) + 1);
    };
    for (const record of records) {
      const parsed = parseRecord(record, this.options.maxValueBytes);
      if (parsed.kind === 'skip') {
        skip(parsed.reason, parsed.message);
      } else if (parsed.kind === 'tombstone') {
        this.buffer?.reset(parsed.key);
        tombstones += 1;
      } else {
        const buffer = this.buffer ?? this.createBuffer(parsed.features.length);
        try {
          buffer.add(parsed.key, parsed.features, parsed.target, parsed.eventTime);
          buffered += 1;
        } catch (error) {
          if (!(error instanceof TrainingError)) throw error;
          skip('wrong-shape', error.message);
        }
      }
    }
    return { buffered, tombstones, skipped, firstSkip };
  }

  /** Skipped records since the start, by reason. */
  skipCounts(): Record<string, number> {
    return Object.fromEntries(this.skips);
  }

  stats(): EventBufferStats {
    return this.buffer?.stats() ?? { keys: 0, events: 0, evictedKeys: 0, droppedEvents: 0 };
  }

  private createBuffer(firstEventFeatures: number): EventBuffer {
    const shape = modelShape(this.options.champion, firstEventFeatures, this.options.labelFeatures);
    this.currentShape = shape;
    this.buffer = new EventBuffer({
      inputSize: shape.inputSize,
      targetSize: shape.outputSize,
      maxEventsPerKey: this.options.eventsPerKey,
      maxKeys: this.options.maxKeys,
    });
    return this.buffer;
  }
}
