import { encodeModel, type RecurrentModel } from '@rnnflow/cells';
import { ModelRegistry } from '@rnnflow/registry';
import { resolveProducerClient, type OutgoingMessage } from '@rnnflow/stream';
import { startBenchStack, type BenchStack } from './bench.stack.js';
import { benchModel, inputEvents } from './bench.workload.js';
import { ContenderRuns, MODEL_NAME, type RunContext } from './contender.runs.js';
import { fillTopic } from './input.filler.js';
import { deliveryModes, type DeliveryMode, type PipelineOptions } from './pipeline.options.js';
import {
  compared,
  judgeTargets,
  predictorResult,
  type PipelineResult,
  type PredictorResult,
} from './pipeline.report.js';
import type { PredictorThroughput } from './predictor.contender.js';
import type { ProgressDisplay } from './progress.display.js';

/** Share of the measured maximum the latency phase runs at, when its rate is `auto`. */
export const LATENCY_LOAD = 0.25;

/** Where a run logs, shows progress, and is told to stop (aborting stops everything it started). */
export type PipelineContext = RunContext;

/**
 * The pipeline benchmark: on one embedded broker and one Redis, one contender after another
 * (never two at once), each reading the same pre-produced records from its own topic:
 * kafkajs passthrough, the predictor in each delivery mode (in this process, then as
 * `--workers` processes), the naive per-event pipeline on a slice, then each mode's end-to-end
 * latency at a fixed rate.
 */
export async function runPipelineBench(
  requested: PipelineOptions,
  context: PipelineContext,
): Promise<PipelineResult> {
  // The report names the client the predictors really produced with.
  const options = { ...requested, kafkaProducer: resolveProducerClient(requested.kafkaProducer) };
  const modes = deliveryModes(options.delivery);
  const contenders = contendersOf(modes, options.workers);
  const stack = await startBenchStack(contenders, options.partitions, context.logger);
  try {
    const model = benchModel(options.features, options.units);
    await publishModel(stack, model);
    await fillInputs(stack, options, contenders, context.progress);
    const runs = new ContenderRuns(stack, options, context);
    const passthrough = await runs.passthrough();
    const throughputs: [DeliveryMode, PredictorThroughput][] = [];
    for (const mode of modes) throughputs.push([mode, await runs.predictor(mode)]);
    const multiProcess: [DeliveryMode, PredictorThroughput][] = [];
    if (options.workers > 1) {
      for (const mode of modes) multiProcess.push([mode, await runs.predictorWorkers(mode)]);
    }
    const naive = await runs.naive(model);
    const naiveSequential = await runs.naive(model, true);
    const baselines = { passthrough, naive, naiveSequential };
    const predictor: Partial<Record<DeliveryMode, PredictorResult>> = {};
    for (const [mode, throughput] of throughputs) {
      const rate =
        options.latencyRate === 'auto'
          ? throughput.eventsPerSecond * LATENCY_LOAD
          : options.latencyRate;
      const latency = await runs.latency(mode, rate);
      predictor[mode] = predictorResult(throughput, latency, baselines);
    }
    const workers =
      options.workers > 1
        ? {
            processes: options.workers,
            predictor: Object.fromEntries(
              multiProcess.map(([mode, throughput]) => [mode, compared(throughput, baselines)]),
            ),
          }
        : undefined;
    const { jsonFile: _jsonFile, ...shown } = options;
    const targets = judgeTargets(predictor, workers);
    return { options: shown, passthrough, naive, naiveSequential, predictor, workers, targets };
  } finally {
    await stack.stop();
  }
}

/** Every contender's name, which names its topics. */
function contendersOf(modes: readonly DeliveryMode[], workers: number): string[] {
  return [
    'passthrough',
    'naive',
    'naive-sequential',
    ...modes.flatMap((mode) => [`predictor-${mode}`, `latency-${mode}`]),
    ...(workers > 1 ? modes.map((mode) => `predictor-${mode}-workers`) : []),
  ];
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
  contenders: readonly string[],
  progress: ProgressDisplay,
): Promise<void> {
  const events = inputEvents(options.keys, options.events, options.features);
  const naiveSlice = evenSample(events, options.naiveEvents);
  const fills = contenders
    .filter((contender) => !contender.startsWith('latency-'))
    .map((contender): [string, OutgoingMessage[]] => [
      contender,
      contender.startsWith('naive') ? naiveSlice : events,
    ]);
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
