import type { RecurrentModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import type { StreamProducer } from '@rnnflow/stream';
import { measureBatchContender, type ContenderHandler } from './batch.contender.js';
import { naiveHandler, passthroughHandler } from './baseline.handlers.js';
import type { BenchStack } from './bench.stack.js';
import { checkAlive } from './contender.limits.js';
import type { DeliveryMode, PipelineOptions } from './pipeline.options.js';
import {
  measurePredictor,
  startBenchPredictor,
  type PredictorThroughput,
} from './predictor.contender.js';
import { startPredictorProcess } from './predictor.process.js';
import type { PhaseProgress, ProgressDisplay } from './progress.display.js';
import type { Throughput } from './throughput.js';

/** Name of the benchmark's model in the registry. */
export const MODEL_NAME = 'bench-lstm';

export interface RunContext {
  logger: Logger;
  progress: ProgressDisplay;
  signal: AbortSignal;
  /** Path of the rnnflow CLI entry point, to start `rnnflow predictor --workers N`. */
  rnnflowEntry: string;
}

/** The two backlogs: input produced in ~1 MiB requests, or in small ones. */
export type Backlog = 'large' | 'small';

/**
 * Each backlog contender of a run, one call at a time, on the run's stack and topics (see
 * `contenderTopics`; the small-request backlog's names start with `small-`), under a progress
 * line that ends with its figure.
 */
export class ContenderRuns {
  constructor(
    private readonly stack: BenchStack,
    private readonly options: PipelineOptions,
    private readonly context: RunContext,
    readonly backlog: Backlog = 'large',
  ) {}

  /** The multi-process predictor runs on the 1 MiB backlog only, with `--workers` > 1. */
  get measuresWorkers(): boolean {
    return this.backlog === 'large' && this.options.workers > 1;
  }

  get workers(): number {
    return this.options.workers;
  }

  passthrough(): Promise<Throughput> {
    const name = this.named('passthrough');
    return this.batchContender(name, this.options.events, (producer) =>
      passthroughHandler(producer, this.stack.topics(name).output),
    );
  }

  /**
   * The naive pipeline with the predictor's partitions at once (`sequential`: one partition at a
   * time, as a plain kafkajs `eachMessage` consumer runs by default).
   */
  naive(model: RecurrentModel, sequential = false): Promise<Throughput> {
    const name = this.named(sequential ? 'naive-sequential' : 'naive');
    return this.batchContender(
      name,
      this.options.naiveEvents,
      (producer) =>
        naiveHandler({
          redis: this.stack.redis,
          producer,
          model,
          outputTopic: this.stack.topics(name).output,
          keyPrefix: `bench-${name}`,
        }),
      sequential ? 1 : this.options.partitionsConcurrently,
    );
  }

  /** The predictor in this process (one Node thread, like the baselines). */
  predictor(mode: DeliveryMode): Promise<PredictorThroughput> {
    const name = this.named(`predictor-${mode}`);
    const settings = { ...this.predictorCommon(name), delivery: mode };
    const { events } = this.options;
    return this.phase(name, events, rateSummary, (phase) =>
      measurePredictor(
        () => startBenchPredictor(this.stack, settings, this.context.logger),
        { events, delivery: mode },
        phase,
        this.context.signal,
      ),
    );
  }

  /** `rnnflow predictor --workers N`: N processes, each a member of the group. */
  predictorWorkers(mode: DeliveryMode): Promise<PredictorThroughput> {
    const { events, workers } = this.options;
    const name = this.named(`predictor-${mode}-workers`);
    const settings = {
      ...this.predictorCommon(name),
      delivery: mode,
      workers,
      rnnflowEntry: this.context.rnnflowEntry,
      logLevel: this.context.logger.level,
    };
    return this.phase(`${name} (${workers} processes)`, events, rateSummary, (phase) =>
      measurePredictor(
        () => startPredictorProcess(this.stack, settings),
        { events, delivery: mode },
        phase,
        this.context.signal,
      ),
    );
  }

  /** The contender's name in this backlog, which names its topics. */
  private named(contender: string): string {
    return this.backlog === 'small' ? `small-${contender}` : contender;
  }

  private predictorCommon(name: string) {
    return {
      topics: this.stack.topics(name),
      model: MODEL_NAME,
      settings: this.options.predictorSettings,
    };
  }

  /** A hand-written consumer with its own producer, disconnected once it is done. */
  private batchContender(
    name: string,
    events: number,
    handler: (producer: StreamProducer) => ContenderHandler,
    partitionsConcurrently = this.options.partitionsConcurrently,
  ): Promise<Throughput> {
    return this.phase(name, events, rateSummary, async (phase) => {
      const producer = this.stack.kafka.producer();
      const disconnect = this.stack.own(() => producer.disconnect());
      try {
        const topics = this.stack.topics(name);
        const settings = { name, events, topics, partitionsConcurrently };
        return await measureBatchContender(
          this.stack,
          settings,
          handler(producer),
          phase,
          this.context.signal,
        );
      } finally {
        await disconnect();
      }
    });
  }

  private async phase<T>(
    name: string,
    total: number,
    summary: (result: T) => string,
    body: (phase: PhaseProgress) => Promise<T>,
  ): Promise<T> {
    checkAlive(this.context.signal, 0, name, 0);
    const phase = this.context.progress.phase(name, total, 'events');
    const result = await body(phase);
    phase.finish(summary(result));
    return result;
  }
}

function rateSummary(result: Throughput): string {
  return `${result.eventsPerSecond.toFixed(0)} events/s`;
}
