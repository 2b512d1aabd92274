import type { RecurrentModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import type { StreamProducer } from '@rnnflow/stream';
import { measureBatchContender, type ContenderHandler } from './batch.contender.js';
import { naiveHandler, passthroughHandler } from './baseline.handlers.js';
import type { BenchStack } from './bench.stack.js';
import { checkAlive } from './contender.limits.js';
import { measureLatency, type LatencyResult } from './latency.phase.js';
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

/**
 * Each contender of a run, one call at a time, on the run's stack and topics (see
 * `contenderTopics`), under a progress line that ends with its figure.
 */
export class ContenderRuns {
  constructor(
    private readonly stack: BenchStack,
    private readonly options: PipelineOptions,
    private readonly context: RunContext,
  ) {}

  passthrough(): Promise<Throughput> {
    return this.batchContender('passthrough', this.options.events, (producer) =>
      passthroughHandler(producer, this.stack.topics('passthrough').output),
    );
  }

  /**
   * The naive pipeline with the predictor's partitions at once (`sequential`: one partition at a
   * time, as a plain kafkajs `eachMessage` consumer runs by default).
   */
  naive(model: RecurrentModel, sequential = false): Promise<Throughput> {
    const name = sequential ? 'naive-sequential' : 'naive';
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
    const settings = { ...this.common(`predictor-${mode}`), model: MODEL_NAME, delivery: mode };
    const { events } = this.options;
    return this.phase(`predictor ${mode}`, events, rateSummary, (phase) =>
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
    const settings = {
      ...this.common(`predictor-${mode}-workers`),
      model: MODEL_NAME,
      delivery: mode,
      workers,
      rnnflowEntry: this.context.rnnflowEntry,
      logLevel: this.context.logger.level,
    };
    return this.phase(`predictor ${mode}, ${workers} processes`, events, rateSummary, (phase) =>
      measurePredictor(
        () => startPredictorProcess(this.stack, settings),
        { events, delivery: mode },
        phase,
        this.context.signal,
      ),
    );
  }

  /** End-to-end latency of a `mode` predictor with input at `rate` events/s. */
  latency(mode: DeliveryMode, rate: number): Promise<LatencyResult> {
    const { latencySeconds: seconds, keys, features } = this.options;
    const settings = {
      ...this.common(`latency-${mode}`),
      model: MODEL_NAME,
      delivery: mode,
      rate,
      seconds,
      keys,
      features,
    };
    const summary = (result: LatencyResult) =>
      `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms at ${result.achievedRate.toFixed(0)} events/s`;
    return this.phase(`latency ${mode}`, Math.floor(rate * seconds), summary, (phase) =>
      measureLatency(this.stack, settings, this.context.logger, phase, this.context.signal),
    );
  }

  private common(contender: string) {
    return {
      topics: this.stack.topics(contender),
      partitionsConcurrently: this.options.partitionsConcurrently,
      kafkaProducer: this.options.kafkaProducer,
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
        const settings = { name, events, ...this.common(name), partitionsConcurrently };
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
