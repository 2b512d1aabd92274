import type { PredictorMetrics } from '@rnnflow/metrics';
import type { ReadResult, StateRecord, StateStore, WriteEntry } from '@rnnflow/state';
import { deadLetterMessage, type ConsumedRecord, type OutgoingMessage } from '@rnnflow/stream';
import { computeWaves, type WaveResult } from './batch.compute.js';
import type { ComputedBatch } from './delivery.js';
import type { OwnedPartition } from './owned.partition.js';
import type { StateCache } from './state.cache.js';
import { parseRecord, type ParsedRecord } from './input.record.js';
import { changedEntries, slotsFromReads, type SwapStatePolicy } from './key.slots.js';
import { MODEL_HEADER, MODEL_VERSION_HEADER, PredictionEncoder } from './prediction.message.js';
import type { ServingModel } from './serving.model.js';
import { planWaves } from './wave.plan.js';

export interface ProcessorTopics {
  output: string;
  deadLetter: string;
}

/** The records of one partition batch, in offset order. */
export interface RecordBatch {
  topic: string;
  partition: number;
  records: readonly ConsumedRecord[];
}

export interface ProcessorOptions {
  cache: StateCache;
  metrics: PredictorMetrics;
  topics: ProcessorTopics;
  maxValueBytes: number;
  swapPolicy: SwapStatePolicy;
  /** How many recent inputs a key keeps under the `rewarm` policy. */
  rewarmWindow: number;
  /** How many recent inputs a key keeps in its record whatever the policy (for inspection); default 0. */
  keepInputs?: number;
  /** Feature indices a prediction forecasts at the key's next event; null: no forecast scoring. */
  labelFeatures: readonly number[] | null;
  /** Reads resolve pending states against the committed offset (exactly-once). */
  readsPending: boolean;
  now?: () => number;
}

/**
 * One partition batch from records to what delivery needs: parse, group into waves, the keys'
 * states (from the cache; the misses in one Redis read), one compute pass per wave, the
 * prediction and dead-letter records and the changed states. The new states go to the cache at
 * once, so the partition's next batch computes on them while this one is still delivered.
 */
export class BatchProcessor {
  private readonly now: () => number;

  constructor(private readonly options: ProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  async process(
    batch: RecordBatch,
    owner: OwnedPartition,
    model: ServingModel,
  ): Promise<ComputedBatch> {
    const { metrics } = this.options;
    const limits = { featureCount: model.inputSize, maxValueBytes: this.options.maxValueBytes };
    const parsed = batch.records.map((record) => parseRecord(record, limits));
    const plan = planWaves(parsed);
    metrics.eventsConsumed(batch.topic, batch.partition, batch.records.length);
    metrics.batchSize(batch.records.length);

    const states = await this.loadStates(owner, plan.keys, model.store);
    const { swapPolicy, rewarmWindow, keepInputs = 0 } = this.options;
    const recentWindow = Math.max(keepInputs, swapPolicy === 'rewarm' ? rewarmWindow : 0);
    const slots = slotsFromReads(states.map(asRead), model, swapPolicy, recentWindow > 0);
    const computeStarted = performance.now();
    const computed = computeWaves(parsed, plan, slots, model, {
      labelFeatures: labelFeaturesFor(this.options.labelFeatures, model.outputSize),
      recentWindow,
    });
    metrics.stepSeconds((performance.now() - computeStarted) / 1000);

    const now = this.now();
    const entries = changedEntries(plan.keys, slots, model, now);
    const lastOffset = Number(batch.records[batch.records.length - 1].offset);
    const sequence = owner.take(
      { events: batch.records.length, firstOffset: Number(batch.records[0].offset), lastOffset },
      now,
    );
    this.cacheStates({ owner, sequence, store: model.store }, plan.keys, states, entries);
    return {
      owner,
      sequence,
      store: model.store,
      messages: [
        {
          topic: this.options.topics.output,
          messages: this.predictionMessages(batch, parsed, computed, model),
        },
        { topic: this.options.topics.deadLetter, messages: this.deadLetters(batch, parsed) },
      ].filter((topic) => topic.messages.length > 0),
      entries,
      lastOffset,
      takenAtMs: now,
      oldestEventMs: batch.records[0].timestamp,
      countDelivered: () => this.countDelivered(batch, parsed, computed, model),
    };
  }

  /** The keys' states, by slot: cached ones, and the misses read from Redis in one call. */
  private async loadStates(
    owner: OwnedPartition,
    keys: readonly string[],
    store: StateStore,
  ): Promise<(StateRecord | undefined)[]> {
    const { cache } = this.options;
    const states: (StateRecord | undefined)[] = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((key, slot) => {
      const cached = cache.get(owner, key, store);
      if (cached === undefined) missing.push(slot);
      else states[slot] = cached.record;
    });
    if (missing.length === 0) return states;
    const reads = await store.readStates(
      owner.scope,
      missing.map((slot) => keys[slot]),
      {
        committedOffset: this.options.readsPending ? Math.max(owner.committedOffset, 0) : undefined,
      },
    );
    reads.forEach((read, index) => {
      states[missing[index]] = read.status === 'found' ? read.record : undefined;
    });
    return states;
  }

  /** Every key of the batch is cached: its new state when the batch changed it, else as loaded. */
  private cacheStates(
    batch: { owner: OwnedPartition; sequence: number; store: StateStore },
    keys: readonly string[],
    loaded: readonly (StateRecord | undefined)[],
    entries: readonly WriteEntry[],
  ): void {
    const { owner, sequence, store } = batch;
    const records = [...loaded];
    // Entries come in slot order, a subset of the keys.
    let slot = 0;
    for (const entry of entries) {
      while (keys[slot] !== entry.key) slot += 1;
      records[slot] = entry.record;
    }
    keys.forEach((key, index) =>
      this.options.cache.set(owner, key, { record: records[index], store }, sequence),
    );
  }

  private predictionMessages(
    batch: RecordBatch,
    parsed: readonly ParsedRecord[],
    computed: WaveResult,
    model: ServingModel,
  ): OutgoingMessage[] {
    const headers = { [MODEL_HEADER]: model.name, [MODEL_VERSION_HEADER]: String(model.version) };
    const encoder = new PredictionEncoder(
      { topic: batch.topic, partition: batch.partition, model: model.name, version: model.version },
      model.outputSize,
      computed.predictions.length,
    );
    return computed.predictions.map(({ recordIndex, step, row }) => {
      const record = parsed[recordIndex] as Extract<ParsedRecord, { kind: 'event' }>;
      // An event's key passed parsing: present and UTF-8.
      const key = batch.records[recordIndex].key as Buffer;
      return {
        key,
        value: encoder.encode({
          key,
          offset: record.offset,
          step,
          outputs: computed.outputs,
          row,
          eventTime: record.eventTime,
        }),
        headers,
      };
    });
  }

  private deadLetters(batch: RecordBatch, parsed: readonly ParsedRecord[]): OutgoingMessage[] {
    const letters: OutgoingMessage[] = [];
    parsed.forEach((record, index) => {
      if (record.kind !== 'dead-letter') return;
      const source = batch.records[index];
      letters.push(
        deadLetterMessage(source, {
          code: record.reason,
          reason: record.message,
          sourceTopic: batch.topic,
          partition: batch.partition,
          offset: source.offset,
          maxValueBytes: this.options.maxValueBytes,
        }),
      );
    });
    return letters;
  }

  private countDelivered(
    batch: RecordBatch,
    parsed: readonly ParsedRecord[],
    computed: WaveResult,
    model: ServingModel,
  ): void {
    const { metrics } = this.options;
    metrics.eventsPredicted(computed.predictions.length, model.version);
    for (const record of parsed)
      if (record.kind === 'dead-letter') metrics.deadLettered(record.reason);
    for (const [version, errors] of computed.errors.byVersion)
      metrics.predictionError(version, errors);
    const now = this.now();
    metrics.endToEndSeconds(
      computed.predictions.map(
        ({ recordIndex }) => (now - batch.records[recordIndex].timestamp) / 1000,
      ),
    );
  }
}

/** A cached or read state as the slots take it. */
function asRead(record: StateRecord | undefined): ReadResult {
  return record === undefined
    ? { status: 'missing' }
    : { status: 'found', record, source: 'stable' };
}

/** Forecast scoring needs one label feature per output; otherwise it is off for this model. */
function labelFeaturesFor(
  labelFeatures: readonly number[] | null,
  outputSize: number,
): readonly number[] | null {
  return labelFeatures !== null && labelFeatures.length === outputSize ? labelFeatures : null;
}
