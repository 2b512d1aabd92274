import { encodeModel, type RecurrentModel } from '@rnnflow/cells';
import { ModelRegistry } from '@rnnflow/registry';
import type { OutgoingMessage } from '@rnnflow/stream';
import { startBenchStack, type BenchStack } from './bench.stack.js';
import { benchModel, inputEvents } from './bench.workload.js';
import { ContenderRuns, MODEL_NAME, type RunContext } from './contender.runs.js';
import { fillTopic } from './input.filler.js';
import { deliveryModes, type DeliveryMode, type PipelineOptions } from './pipeline.options.js';
import {
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
 * kafkajs passthrough, the predictor in each delivery mode, the naive per-event pipeline on a
 * slice, then each mode's end-to-end latency at a fixed rate.
 */
export async function runPipelineBench(
  options: PipelineOptions,
  context: PipelineContext,
): Promise<PipelineResult> {
  const modes = deliveryModes(options.delivery);
  const stack = await startBenchStack(contendersOf(modes), options.partitions, context.logger);
  try {
    const model = benchModel(options.features, options.units);
    await publishModel(stack, model);
    await fillInputs(stack, options, modes, context.progress);
    const runs = new ContenderRuns(stack, options, context);
    const passthrough = await runs.passthrough();
    const throughputs: [DeliveryMode, PredictorThroughput][] = [];
    for (const mode of modes) throughputs.push([mode, await runs.predictor(mode)]);
    const naive = await runs.naive(model);
    const naiveSequential = await runs.naive(model, true);
    const predictor: Partial<Record<DeliveryMode, PredictorResult>> = {};
    for (const [mode, throughput] of throughputs) {
      const rate =
        options.latencyRate === 'auto'
          ? throughput.eventsPerSecond * LATENCY_LOAD
          : options.latencyRate;
      const latency = await runs.latency(mode, rate);
      const baselines = { passthrough, naive, naiveSequential };
      predictor[mode] = predictorResult(throughput, latency, baselines);
    }
    const { jsonFile: _jsonFile, ...shown } = options;
    const targets = judgeTargets(predictor);
    return { options: shown, passthrough, naive, naiveSequential, predictor, targets };
  } finally {
    await stack.stop();
  }
}

/** Every contender's name, which names its topics. */
function contendersOf(modes: readonly DeliveryMode[]): string[] {
  return [
    'passthrough',
    'naive',
    'naive-sequential',
    ...modes.flatMap((mode) => [`predictor-${mode}`, `latency-${mode}`]),
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
  modes: readonly DeliveryMode[],
  progress: ProgressDisplay,
): Promise<void> {
  const events = inputEvents(options.keys, options.events, options.features);
  const fills: [string, OutgoingMessage[]][] = [
    ['passthrough', events],
    ['naive', evenSample(events, options.naiveEvents)],
    ['naive-sequential', evenSample(events, options.naiveEvents)],
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
