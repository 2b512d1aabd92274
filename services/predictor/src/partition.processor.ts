import type { PredictorMetrics } from '@rnnflow/metrics';
import type { FencedScope } from '@rnnflow/state';
import { deadLetterMessage, type ConsumedRecord, type OutgoingMessage } from '@rnnflow/stream';
import { computeWaves, type WaveResult } from './batch.compute.js';
import type { Delivery, DeliveryOutcome } from './delivery.js';
import { parseRecord, type ParsedRecord } from './input.record.js';
import { changedEntries, slotsFromReads, type SwapStatePolicy } from './key.slots.js';
import { MODEL_HEADER, MODEL_VERSION_HEADER, PredictionEncoder } from './prediction.message.js';
import type { ServingModel } from './serving.model.js';
import { planWaves } from './wave.plan.js';

export interface ProcessorTopics {
  output: string;
  deadLetter: string;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: readonly ConsumedRecord[];
}

export interface ProcessorOptions {
  delivery: Delivery;
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
  now?: () => number;
}

/**
 * One partition batch from records to delivery: parse, group into waves, one state read, one
 * compute pass per wave, then delivery (produce, state write, commit in the mode's order).
 * Nothing here awaits per record.
 */
export class PartitionProcessor {
  private readonly now: () => number;

  constructor(private readonly options: ProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  async process(
    batch: PartitionBatch,
    scope: FencedScope,
    model: ServingModel,
  ): Promise<DeliveryOutcome> {
    const { delivery, metrics } = this.options;
    const store = model.store;
    const limits = { featureCount: model.inputSize, maxValueBytes: this.options.maxValueBytes };
    const parsed = batch.records.map((record) => parseRecord(record, limits));
    const plan = planWaves(parsed);
    metrics.eventsConsumed(batch.topic, batch.partition, batch.records.length);
    metrics.batchSize(batch.records.length);

    const readStarted = performance.now();
    const reads = await store.readStates(scope, plan.keys, {
      committedOffset: delivery.committedOffset(scope),
    });
    metrics.redisCallSeconds('read', (performance.now() - readStarted) / 1000);
    countReads(
      reads.map((read) => read.status),
      metrics,
    );

    const { swapPolicy, rewarmWindow, keepInputs = 0 } = this.options;
    const recentWindow = Math.max(keepInputs, swapPolicy === 'rewarm' ? rewarmWindow : 0);
    const slots = slotsFromReads(reads, model, swapPolicy, recentWindow > 0);
    const computeStarted = performance.now();
    const computed = computeWaves(parsed, plan, slots, model, {
      labelFeatures: labelFeaturesFor(this.options.labelFeatures, model.outputSize),
      recentWindow,
    });
    metrics.stepSeconds((performance.now() - computeStarted) / 1000);

    const outcome = await delivery.deliver({
      scope,
      store,
      messages: [
        {
          topic: this.options.topics.output,
          messages: this.predictionMessages(batch, parsed, computed, model),
        },
        { topic: this.options.topics.deadLetter, messages: this.deadLetters(batch, parsed) },
      ].filter((topic) => topic.messages.length > 0),
      entries: changedEntries(plan.keys, slots, model, this.now()),
      lastOffset: Number(batch.records[batch.records.length - 1].offset),
    });
    if (outcome === 'delivered') this.countDelivered(batch, parsed, computed, model);
    return outcome;
  }

  private predictionMessages(
    batch: PartitionBatch,
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

  private deadLetters(batch: PartitionBatch, parsed: readonly ParsedRecord[]): OutgoingMessage[] {
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
        }),
      );
    });
    return letters;
  }

  private countDelivered(
    batch: PartitionBatch,
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

function countReads(
  statuses: readonly ('found' | 'missing' | 'corrupt')[],
  metrics: PredictorMetrics,
): void {
  const counts = { found: 0, missing: 0, corrupt: 0 };
  for (const status of statuses) counts[status] += 1;
  for (const [status, count] of Object.entries(counts)) {
    if (count > 0) metrics.stateReads(status as keyof typeof counts, count);
  }
}

/** Forecast scoring needs one label feature per output; otherwise it is off for this model. */
function labelFeaturesFor(
  labelFeatures: readonly number[] | null,
  outputSize: number,
): readonly number[] | null {
  return labelFeatures !== null && labelFeatures.length === outputSize ? labelFeatures : null;
}
