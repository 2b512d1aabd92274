import { encodeModel, type RecurrentModel } from '@rnnflow/cells';
import { ModelRegistry } from '@rnnflow/registry';
import type { OutgoingMessage } from '@rnnflow/stream';
import { startBenchStack, type BenchStack } from './bench.stack.js';
import { benchModel, inputEvents } from './bench.workload.js';
import { ContenderRuns, MODEL_NAME, type Backlog, type RunContext } from './contender.runs.js';
import { fillTopic } from './input.filler.js';
import { runLivePhase } from './live.phase.js';
import { deliveryModes, type DeliveryMode, type PipelineOptions } from './pipeline.options.js';
import { compared, type BacklogResult, type PipelineResult } from './pipeline.report.js';
import { judgeTargets } from './pipeline.targets.js';
import type { ProgressDisplay } from './progress.display.js';

/** Where a run logs, shows progress, and is told to stop (aborting stops everything it started). */
export type PipelineContext = RunContext;

/**
 * The pipeline benchmark, on one embedded broker and one Redis, one contender after another
 * (never two at once):
 * - the live phase first (`runLivePhase`): a steady stream at fixed rates for a plain kafkajs
 *   service and the predictor in each mode, each in its own process, and their sustainable rates;
 * - then two backlogs of the same pre-produced events, one produced in ~1 MiB requests and one in
 *   small ones: kafkajs passthrough, the predictor in each delivery mode in this process (and,
 *   on the 1 MiB backlog, as `--workers` processes), the naive per-event pipeline on a slice.
 */
export async function runPipelineBench(
  options: PipelineOptions,
  context: PipelineContext,
): Promise<PipelineResult> {
  const modes = deliveryModes(options.delivery);
  const stack = await startBenchStack(
    backlogContenders(modes, options.workers),
    options.partitions,
    context.logger,
  );
  try {
    const model = benchModel(options.features, options.units);
    await publishModel(stack, model);
    // Live first: this process times the live arrivals, and the backlogs (whose predictors run
    // in it) leave a heap whose collections stall its event loop for tens of milliseconds.
    const live = await runLivePhase(
      stack,
      {
        modes,
        model: MODEL_NAME,
        keys: options.liveKeys,
        features: options.features,
        predictorSettings: options.predictorSettings,
        liveSeconds: options.liveSeconds,
        searchSeconds: options.searchSeconds,
        searchBisections: options.searchBisections,
        rnnflowEntry: context.rnnflowEntry,
        logLevel: context.logger.level,
      },
      context.progress,
      context.signal,
    );
    await fillInputs(stack, options, backlogContenders(modes, options.workers), context.progress);
    const large = await runBacklog(new ContenderRuns(stack, options, context), modes, model);
    const small = await runBacklog(
      new ContenderRuns(stack, options, context, 'small'),
      modes,
      model,
    );
    const backlog = {
      large: { ...large, recordsPerRequest: null },
      small: { ...small, recordsPerRequest: options.smallRequestRecords },
    };
    const { jsonFile: _jsonFile, ...shown } = options;
    return { options: shown, backlog, live, targets: judgeTargets(backlog, live) };
  } finally {
    await stack.stop();
  }
}

/** One backlog's contenders; the 1 MiB one also measures the one-partition naive pipeline and workers. */
async function runBacklog(
  runs: ContenderRuns,
  modes: readonly DeliveryMode[],
  model: RecurrentModel,
): Promise<Omit<BacklogResult, 'recordsPerRequest'>> {
  const passthrough = await runs.passthrough();
  const measured: [DeliveryMode, Awaited<ReturnType<ContenderRuns['predictor']>>][] = [];
  for (const mode of modes) measured.push([mode, await runs.predictor(mode)]);
  const multiProcess: typeof measured = [];
  if (runs.measuresWorkers) {
    for (const mode of modes) multiProcess.push([mode, await runs.predictorWorkers(mode)]);
  }
  const naive = await runs.naive(model);
  const naiveSequential = runs.backlog === 'large' ? await runs.naive(model, true) : undefined;
  const baselines = { passthrough, naive };
  const comparedAll = (list: typeof measured) =>
    Object.fromEntries(list.map(([mode, figures]) => [mode, compared(figures, baselines)]));
  return {
    passthrough,
    naive,
    naiveSequential,
    predictor: comparedAll(measured),
    workers:
      multiProcess.length > 0
        ? { processes: runs.workers, predictor: comparedAll(multiProcess) }
        : undefined,
  };
}

/** Every backlog contender's name, which names its topics (the live phase creates its own). */
function backlogContenders(modes: readonly DeliveryMode[], workers: number): string[] {
  const predictors = modes.map((mode) => `predictor-${mode}`);
  return [
    'passthrough',
    'naive',
    'naive-sequential',
    ...predictors,
    ...(workers > 1 ? predictors.map((name) => `${name}-workers`) : []),
    ...['passthrough', 'naive', ...predictors].map((name) => `small-${name}`),
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

/** Produces the input of every backlog contender before any of them runs. */
async function fillInputs(
  stack: BenchStack,
  options: PipelineOptions,
  contenders: readonly string[],
  progress: ProgressDisplay,
): Promise<void> {
  const events = inputEvents(options.keys, options.events, options.features);
  const naiveSlice = evenSample(events, options.naiveEvents);
  const total = contenders.reduce(
    (sum, contender) => sum + (contender.includes('naive') ? naiveSlice : events).length,
    0,
  );
  const phase = progress.phase('filling input topics', total, 'events');
  const started = performance.now();
  let before = 0;
  for (const contender of contenders) {
    const messages = contender.includes('naive') ? naiveSlice : events;
    const backlog: Backlog = contender.startsWith('small-') ? 'small' : 'large';
    await fillTopic(
      stack.kafka,
      {
        topic: stack.topics(contender).input,
        messages,
        partitions: options.partitions,
        recordsPerRequest: backlog === 'small' ? options.smallRequestRecords : undefined,
      },
      (sent) => phase.update(before + sent),
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
