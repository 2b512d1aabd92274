import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import type { FencedScope } from '@rnnflow/state';
import {
  backoffDelayMs,
  isGroupRebalanceError,
  type PartitionBatch,
  type TopicPartitions,
} from '@rnnflow/stream';
import type { PartitionProcessor } from './partition.processor.js';
import type { ServingModel } from './serving.model.js';

export interface BatchHandlerOptions {
  processor: PartitionProcessor;
  metrics: PredictorMetrics;
  logger: Logger;
  /** The model to compute the next batch with; read once per batch, so a swap lands between batches. */
  serving: () => ServingModel;
  /** Called once per newly assigned partition, before its first batch (exactly-once reads the committed offset here). */
  onPartitionStart?: (topic: string, partition: number) => Promise<void>;
  /** Backoff between attempts at a failing batch, ms. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/**
 * Runs each partition batch until it is delivered, fenced, or the predictor stops. A batch that
 * fails (Redis or the broker unavailable) is retried with backoff and never committed in
 * between, so consumption of that partition pauses instead of skipping records. A rebalance
 * ends the attempts at once: the batch goes back uncommitted so that the member can rejoin
 * (retrying would hold up the whole group), and its next owner reads it again from the
 * committed offset, skipping the keys whose states already moved past it.
 */
export class BatchHandler {
  private readonly epochs = new Map<string, number>();
  private readonly failing = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: BatchHandlerOptions) {}

  /** False while some batch is failing; readiness follows it. */
  healthy(): boolean {
    return this.failing.size === 0;
  }

  /** Forgets epochs of the previous assignment: each partition takes a new epoch before its first batch. */
  assigned(assignment: readonly TopicPartitions[]): void {
    const owned = new Set(
      assignment.flatMap(({ topic, partitions }) =>
        partitions.map((partition) => `${topic}/${partition}`),
      ),
    );
    for (const key of this.epochs.keys()) {
      if (owned.has(key)) continue;
      const [topic, partition] = key.split('/');
      this.options.metrics.partitionRevoked(topic, Number(partition));
    }
    this.epochs.clear();
    this.failing.clear();
  }

  /** Makes running and future retry loops give up, leaving their batches uncommitted. */
  stop(): void {
    this.stopping.abort();
  }

  async handle(batch: PartitionBatch): Promise<void> {
    const key = `${batch.topic}/${batch.partition}`;
    for (let attempt = 1; !this.stopping.signal.aborted && !batch.isStale(); attempt += 1) {
      try {
        const scope = await this.scopeOf(batch.topic, batch.partition);
        const outcome = await this.options.processor.process(batch, scope, this.options.serving());
        this.failing.delete(key);
        if (outcome === 'fenced') {
          this.options.metrics.error('fenced');
          this.options.logger.warn(
            { partition: key },
            'partition fenced: another predictor owns it now; dropping the batch',
          );
        }
        return;
      } catch (error) {
        if (isGroupRebalanceError(error)) throw this.rejoining(key, error);
        this.failing.add(key);
        this.options.metrics.error(errorKind(error));
        this.options.logger.warn(
          { err: error, partition: key, attempt },
          'batch failed; retrying without committing',
        );
        await this.pause(attempt);
        await batch.heartbeat().catch((heartbeatError: unknown) => {
          if (isGroupRebalanceError(heartbeatError)) throw this.rejoining(key, heartbeatError);
        });
      }
    }
  }

  private rejoining(partition: string, error: unknown): unknown {
    this.failing.delete(partition);
    this.options.logger.info(
      { partition },
      'group rebalancing: the batch goes back uncommitted while this predictor rejoins',
    );
    return error;
  }

  private async scopeOf(topic: string, partition: number): Promise<FencedScope> {
    const key = `${topic}/${partition}`;
    let epoch = this.epochs.get(key);
    if (epoch === undefined) {
      await this.options.onPartitionStart?.(topic, partition);
      epoch = await this.options.serving().store.acquireEpoch({ topic, partition });
      this.epochs.set(key, epoch);
    }
    return { topic, partition, epoch };
  }

  private async pause(attempt: number): Promise<void> {
    const delay = backoffDelayMs(
      attempt,
      this.options.retryInitialMs ?? 100,
      this.options.retryMaxMs ?? 5000,
      Math.random,
    );
    await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => {});
  }
}

function errorKind(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.toLowerCase() : 'unexpected';
}
