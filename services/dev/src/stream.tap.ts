import type { BatchConsumer, ConsumedRecord, KafkaClient, PartitionBatch } from '@rnnflow/stream';
import { ForecastJoin } from './forecast.join.js';
import type { RunRecord } from './run.record.js';

/** The three topics of the demo. */
export interface TapTopics {
  readonly input: string;
  readonly output: string;
  readonly deadLetter: string;
}

/** Records read so far from each topic. */
export interface TapCounts {
  readonly events: number;
  readonly predictions: number;
  readonly deadLettered: number;
}

interface EventValue {
  features: number[];
  ts?: number;
}

interface PredictionValue {
  key: string;
  model: { version: number };
  step: number;
  output: number[];
  ts: number;
}

/**
 * Reads the input, output and dead-letter topics from the start in its own consumer group, as
 * an outside observer would: counts each, and joins every forecast with the event it forecast
 * into the {@link RunRecord}. Keys are counted in event order to number their steps, as the
 * predictor does (a tombstone restarts a key at step 1).
 */
export class StreamTap {
  private readonly consumer: BatchConsumer;
  private readonly join: ForecastJoin;
  private readonly steps = new Map<string, number>();
  private counts = { events: 0, predictions: 0, deadLettered: 0 };

  constructor(
    kafka: KafkaClient,
    private readonly topics: TapTopics,
    private readonly record: RunRecord,
    /** Index of the feature the model forecasts. */
    private readonly labelFeature: number,
  ) {
    this.consumer = kafka.batchConsumer({
      groupId: `rnnflow-dev-tap-${process.pid}`,
      topics: [topics.input, topics.output, topics.deadLetter],
      startFrom: 'earliest',
      partitionsConsumedConcurrently: 4,
      maxWaitTimeMs: 250,
    });
    this.join = new ForecastJoin((scored) => record.scored(scored));
  }

  /** Resolves once the consumer runs; records follow as the group assigns partitions. */
  start(): Promise<void> {
    return this.consumer.run(async (batch) => this.handle(batch));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  read(): TapCounts {
    return { ...this.counts };
  }

  private handle(batch: PartitionBatch): void {
    if (batch.topic === this.topics.input) for (const record of batch.records) this.event(record);
    else if (batch.topic === this.topics.output) {
      for (const record of batch.records) this.prediction(record);
    } else this.counts.deadLettered += batch.records.length;
  }

  private event(record: ConsumedRecord): void {
    this.counts.events += 1;
    const key = record.key?.toString();
    if (key === undefined) return;
    if (record.value === null) {
      this.steps.delete(key);
      return;
    }
    const step = (this.steps.get(key) ?? 0) + 1;
    this.steps.set(key, step);
    const event = parse<EventValue>(record.value);
    const value = event?.features?.[this.labelFeature];
    if (typeof value !== 'number') return;
    this.join.actual({ key, step, value, eventTime: event?.ts ?? record.timestamp });
  }

  private prediction(record: ConsumedRecord): void {
    this.counts.predictions += 1;
    const prediction = record.value === null ? undefined : parse<PredictionValue>(record.value);
    if (prediction === undefined) return;
    const version = prediction.model.version;
    this.record.predicted(version, prediction.ts);
    this.join.forecast({
      key: prediction.key,
      step: prediction.step,
      version,
      output: prediction.output[0],
    });
  }
}

/** The demo's own producers write these topics; a record that is not JSON is just not joined. */
function parse<T>(value: Buffer): T | undefined {
  try {
    return JSON.parse(value.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
