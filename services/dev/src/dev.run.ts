import { mkdir } from 'node:fs/promises';
import { startDevStack } from '@rnnflow/devstack';
import { startPredictor } from '@rnnflow/predictor';
import { ModelRegistry } from '@rnnflow/registry';
import { runSimulator } from '@rnnflow/simulator';
import { createRedisConnection } from '@rnnflow/state';
import { createKafkaClient, kafkaClientOptions } from '@rnnflow/stream';
import { RoundLog, startTrainer } from '@rnnflow/trainer';
import { initTrainingBackend } from '@rnnflow/training';
import type { DevOptions } from './dev.options.js';
import { publishUntrainedModel } from './initial.model.js';
import { LiveMonitor } from './live.monitor.js';
import { writeReport, type ReportData } from './report.writer.js';
import { RunRecord } from './run.record.js';
import { openServiceLogs, type ServiceLogs } from './service.logs.js';
import { DEMO, serviceSettings } from './service.settings.js';
import { StreamTap } from './stream.tap.js';
import type { TerminalView } from './terminal.view.js';
import type { DevSummary } from './report.summary.js';

/** Keys whose every forecast is drawn in `predictions.png`. */
const TRACKED_KEYS = 3;
/** Width of the online-error bins, seconds. */
const ERROR_BIN_SECONDS = 2;
/** How long the predictor may take to predict the last events after the traffic stops. */
const CATCH_UP_MS = 10_000;

export interface DevRunContext {
  /** Aborting it (Ctrl-C) ends the run early; the report is still written. */
  readonly signal: AbortSignal;
  readonly view: TerminalView;
}

export interface DevRunResult {
  readonly outDir: string;
  readonly summary: DevSummary;
  /** The services' log file. */
  readonly logFile: string;
}

type Closer = () => Promise<unknown>;

/**
 * README command A: starts the embedded stack, publishes an untrained model, runs simulator →
 * predictor → trainer until the duration is over or `signal` aborts, then stops everything it
 * started (even on failure) and writes the report folder.
 */
export async function runDev(options: DevOptions, context: DevRunContext): Promise<DevRunResult> {
  await mkdir(options.outDir, { recursive: true });
  const logs = openServiceLogs(options.outDir);
  const closers: Closer[] = [];
  let data: ReportData;
  try {
    data = await startAndRun(options, context, logs, closers);
  } finally {
    await context.view.phase('stopping the trainer, the predictor and the stack', () =>
      closeAll(closers),
    );
  }
  const summary = await context.view.phase('writing the report', () =>
    writeReport(options.outDir, data, context.view.timings()),
  );
  return { outDir: options.outDir, summary, logFile: logs.file };
}

async function startAndRun(
  options: DevOptions,
  { signal, view }: DevRunContext,
  logs: ServiceLogs,
  closers: Closer[],
): Promise<ReportData> {
  const brokerLog = logs.logger('kafka-mock');
  const stack = await view.phase(
    'starting the embedded Kafka broker and Redis (the broker launcher compiles on first use)',
    () =>
      startDevStack({
        kind: 'embedded',
        brokers: 1,
        topics: [
          { name: DEMO.topics.input, partitions: DEMO.partitions },
          { name: DEMO.topics.output, partitions: DEMO.partitions },
          { name: DEMO.topics.deadLetter, partitions: 1 },
        ],
        onLog: (line) => brokerLog.warn(line),
      }),
  );
  closers.push(() => stack.stop());
  const settings = serviceSettings(stack, options);
  await view.phase('initialising the tfjs backend', () => initTrainingBackend());
  const redis = await createRedisConnection({ url: stack.redisUrl });
  closers.push(() => redis.quit());
  await view.phase('publishing the untrained initial model', () =>
    publishUntrainedModel(new ModelRegistry(redis), {
      model: DEMO.model,
      inputSize: DEMO.features,
      units: DEMO.units,
      seed: options.seed,
    }),
  );
  const kafka = createKafkaClient(
    kafkaClientOptions(settings.predictor, 'rnnflow-dev', logs.logger('dev')),
  );
  closers.push(() => kafka.close());
  const record = new RunRecord(TRACKED_KEYS, ERROR_BIN_SECONDS);
  const tap = new StreamTap(kafka, DEMO.topics, record, DEMO.labelFeature);
  // Each joins its consumer group, which takes seconds on the embedded broker: side by side.
  const predictor = await view.phase('starting the predictor and the stream reader', async () => {
    const [started, tapStarted] = await Promise.allSettled([
      startPredictor(settings.predictor, logs.logger('predictor')),
      tap.start(),
    ]);
    if (started.status === 'fulfilled') closers.push(() => started.value.stop());
    if (tapStarted.status === 'fulfilled') closers.push(() => tap.stop());
    if (started.status === 'rejected') throw started.reason;
    if (tapStarted.status === 'rejected') throw tapStarted.reason;
    return started.value;
  });

  const startMs = Date.now();
  record.start(startMs);
  const traffic = new AbortController();
  const simulation = runSimulator(settings.simulator, {
    signal: traffic.signal,
    logger: logs.logger('simulator'),
    progress: 'none',
  });
  // Stopping must not wait for a simulation that already failed: its error is thrown below.
  simulation.catch(() => undefined);
  // Started with the traffic, so that its first round (a round period later) has data.
  const trainer = await view.phase('starting the trainer', () =>
    startTrainer(settings.trainer, logs.trainerLogger()),
  );
  closers.push(() => trainer.stop());
  const monitor = new LiveMonitor(
    {
      counts: () => tap.read(),
      versions: () => record.versions(),
      serving: () => predictor.serving().version,
      streamOnlineError: () => record.onlineError(),
      predictorMetrics: predictor.metrics,
      roundLog: new RoundLog(redis),
      model: DEMO.model,
      startMs,
      durationSeconds: options.durationSeconds,
    },
    (status) => view.live(status),
  );
  monitor.start();
  closers.push(() => monitor.stop());
  await untilStopped(signal, stopAt(startMs, options.durationSeconds), simulation);
  const trafficSeconds = (Date.now() - startMs) / 1000;
  // The dashboard stays on screen as it was; the stopping steps show below it.
  await monitor.stop();
  view.finish();
  traffic.abort();
  const produced = await view.phase('stopping the simulator', () => simulation);
  await view.phase('letting the predictor catch up', () =>
    waitFor(() => tap.read().predictions >= produced.sent, CATCH_UP_MS),
  );
  await monitor.readServices();
  const counts = tap.read();
  return {
    options,
    startMs,
    trafficSeconds,
    produced: produced.sent,
    predicted: counts.predictions,
    deadLettered: counts.deadLettered,
    record,
    binSeconds: ERROR_BIN_SECONDS,
    predictorOnlineError: monitor.onlineError,
    latency: monitor.latency,
    rounds: monitor.rounds,
    trainingPoints: logs.trainingPoints(),
    peakEventsPerSecond: monitor.peakEventsPerSecond,
    lagMax: monitor.lagMax,
  };
}

/** Epoch ms the traffic is to stop, or undefined to run until stopped. */
function stopAt(startMs: number, durationSeconds: number | undefined): number | undefined {
  return durationSeconds === undefined ? undefined : startMs + durationSeconds * 1000;
}

/** Resolves when `signal` aborts or the time `stopAtMs` comes; rejects if the simulation fails. */
async function untilStopped(
  signal: AbortSignal,
  stopAtMs: number | undefined,
  simulation: Promise<unknown>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const stopped = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    if (stopAtMs !== undefined) timer = setTimeout(resolve, Math.max(0, stopAtMs - Date.now()));
  });
  try {
    await Promise.race([stopped, simulation]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Polls `done` until it holds or `timeoutMs` passes; a timeout is not an error here. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Closes newest first, each even when another failed; throws the first failure. */
async function closeAll(closers: Closer[]): Promise<void> {
  let failure: unknown;
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
