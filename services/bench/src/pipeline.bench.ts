import { encodeModel, type RecurrentModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import { ModelRegistry } from '@rnnflow/registry';
import type { OutgoingMessage } from '@rnnflow/stream';
import { measureBatchContender } from './batch.contender.js';
import { naiveHandler, passthroughHandler } from './baseline.handlers.js';
import { startBenchStack, type BenchStack } from './bench.stack.js';
import { benchModel, inputEvents } from './bench.workload.js';
import { fillTopic } from './input.filler.js';
import { measureLatency } from './latency.phase.js';
import { deliveryModes, type DeliveryMode, type PipelineOptions } from './pipeline.options.js';
import {
  judgeTargets,
  predictorResult,
  type PipelineResult,
  type PredictorResult,
} from './pipeline.report.js';
import { measurePredictor, type PredictorThroughput } from './predictor.contender.js';
import type { ProgressDisplay } from './progress.display.js';
import type { Throughput } from './throughput.js';

/** Share of the measured maximum the latency phase runs at, when its rate is `auto`. */
export const LATENCY_LOAD = 0.25;
const MODEL_NAME = 'bench-lstm';

export interface PipelineContext {
  logger: Logger;
  progress: ProgressDisplay;
  /** Aborting stops the run at the next check; everything started is stopped. */
  signal: AbortSignal;
}

/**
 * The pipeline benchmark: on one embedded broker and one Redis, one contender after another
 * (never two at once), each reading the same pre-produced records from its own topic:
 * kafkajs passthrough, the predictor in each delivery mode, the naive per-event pipeline on a
 * slice, then each mode's end-to-end latency at a fixed rate.
 */
export async function runPipelineBench(
  options: PipelineOptions,
  context: PipelineContext,
): Promise<PipelineResult> {
  const modes = deliveryModes(options.delivery);
  const contenders = [
    'passthrough',
    'naive',
    ...modes.flatMap((mode) => [`predictor-${mode}`, `latency-${mode}`]),
  ];
  const stack = await startBenchStack(contenders, options.partitions, context.logger);
  try {
    const model = benchModel(options.features, options.units);
    await publishModel(stack, model);
    await fillInputs(stack, options, modes, context.progress);
    const run = (contender: string, events: number) => ({
      topics: stack.topics(contender),
      events,
      partitionsConcurrently: options.partitionsConcurrently,
    });

    const passthrough = await measure(context, 'passthrough', options.events, (phase) => {
      const producer = stack.kafka.producer();
      stack.onStop(() => producer.disconnect());
      const handler = passthroughHandler(producer, stack.topics('passthrough').output);
      const settings = { name: 'passthrough', ...run('passthrough', options.events) };
      return measureBatchContender(stack, settings, handler, phase, context.signal);
    });
    const throughputs = new Map<DeliveryMode, PredictorThroughput>();
    for (const mode of modes) {
      const settings = {
        ...run(`predictor-${mode}`, options.events),
        model: MODEL_NAME,
        delivery: mode,
      };
      throughputs.set(
        mode,
        await measure(context, `predictor ${mode}`, options.events, (phase) =>
          measurePredictor(stack, settings, context.logger, phase, context.signal),
        ),
      );
    }
    const naive = await measure(context, 'naive', options.naiveEvents, (phase) => {
      const producer = stack.kafka.producer();
      stack.onStop(() => producer.disconnect());
      const handler = naiveHandler({
        redis: stack.redis,
        producer,
        model,
        outputTopic: stack.topics('naive').output,
        keyPrefix: 'bench-naive',
      });
      const settings = { name: 'naive pipeline', ...run('naive', options.naiveEvents) };
      return measureBatchContender(stack, settings, handler, phase, context.signal);
    });

    const predictor: Partial<Record<DeliveryMode, PredictorResult>> = {};
    for (const [mode, throughput] of throughputs) {
      const rate =
        options.latencyRate === 'auto'
          ? throughput.eventsPerSecond * LATENCY_LOAD
          : options.latencyRate;
      const planned = Math.floor(rate * options.latencySeconds);
      const latency = await measure(context, `latency ${mode}`, planned, (phase) =>
        measureLatency(
          stack,
          {
            ...run(`latency-${mode}`, planned),
            model: MODEL_NAME,
            delivery: mode,
            rate,
            seconds: options.latencySeconds,
            keys: options.keys,
            features: options.features,
          },
          context.logger,
          phase,
          context.signal,
        ),
      );
      predictor[mode] = predictorResult(throughput, latency, { passthrough, naive });
    }
    const { jsonFile: _jsonFile, ...shown } = options;
    return { options: shown, passthrough, naive, predictor, targets: judgeTargets(predictor) };
  } finally {
    await stack.stop();
  }
}

async function publishModel(stack: BenchStack, model: RecurrentModel): Promise<void> {
  await new ModelRegistry(stack.redis).publish(
    MODEL_NAME,
    encodeModel(model),
    { source: 'import', fingerprint: model.fingerprint, note: 'rnnflow bench pipeline' },
    { activate: true },
  );
}

/** Produces the input of every throughput contender before any of them runs. */
async function fillInputs(
  stack: BenchStack,
  options: PipelineOptions,
  modes: readonly DeliveryMode[],
  progress: ProgressDisplay,
): Promise<void> {
  const events = inputEvents(options.keys, options.events, options.features);
  const fills: [string, OutgoingMessage[]][] = [
    ['passthrough', events],
    ['naive', evenSample(events, options.naiveEvents)],
    ...modes.map((mode): [string, OutgoingMessage[]] => [`predictor-${mode}`, events]),
  ];
  const total = fills.reduce((sum, [, messages]) => sum + messages.length, 0);
  const phase = progress.phase('filling input topics', total, 'events');
  const started = performance.now();
  let before = 0;
  for (const [contender, messages] of fills) {
    const input = stack.topics(contender).input;
    await fillTopic(stack.kafka, input, messages, options.partitions, (sent) =>
      phase.update(before + sent),
    );
    before += messages.length;
  }
  phase.finish(`${total} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * `count` events taken at an even stride: the naive pipeline's slice then has the full run's
 * events per key, so most of its reads find a state to decode, as the predictor's do.
 */
function evenSample(events: readonly OutgoingMessage[], count: number): OutgoingMessage[] {
  const stride = Math.max(1, Math.floor(events.length / count));
  return Array.from({ length: count }, (_, index) => events[index * stride]);
}

/** Runs one phase under a progress line and prints its outcome. */
async function measure<
  T extends Throughput | { achievedRate: number; p50Ms: number; p99Ms: number },
>(
  context: PipelineContext,
  name: string,
  total: number,
  body: (phase: ReturnType<ProgressDisplay['phase']>) => Promise<T>,
): Promise<T> {
  const phase = context.progress.phase(name, total, 'events');
  const result = await body(phase);
  phase.finish(
    'eventsPerSecond' in result
      ? `${result.eventsPerSecond.toFixed(0)} events/s`
      : `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms at ${result.achievedRate.toFixed(0)} events/s`,
  );
  return result;
}
