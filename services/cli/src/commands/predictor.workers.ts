import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@rnnflow/logging';
import { answerClusterScrapes, createClusterMetrics, startMetricsServer } from '@rnnflow/metrics';
import { startPredictor, type PredictorSettings } from '@rnnflow/predictor';
import { stopWithin, waitForStop } from '../stop.signal.js';
import { servePredictor, STOP_DEADLINE_MS } from './predictor.serve.js';

/** IPC from the primary: stop as on SIGTERM. */
const STOP_MESSAGE = 'rnnflow:stop';
/** IPC from a worker: its readiness, sent every {@link READY_REPORT_MS}. */
const READY_MESSAGE = 'rnnflow:ready';
const READY_REPORT_MS = 500;

interface ReadyReport {
  type: typeof READY_MESSAGE;
  ready: boolean;
}

/**
 * `rnnflow predictor --workers N`, primary side: forks N predictor processes (node:cluster, so
 * each re-runs this command as a worker), serves their merged /metrics and a /readyz that is
 * ready when every worker is, and relays a stop. A worker that exits on its own stops the rest,
 * and the primary exits 1 for its supervisor to restart the whole set.
 */
export async function runPrimary(settings: PredictorSettings, logger: Logger): Promise<void> {
  let stopping = false;
  const stopRequested = waitForStop([workerExited(logger, () => stopping)]);
  const readiness = new Map<number, boolean>();
  cluster.on('message', (worker, message: Partial<ReadyReport>) => {
    if (message?.type === READY_MESSAGE) readiness.set(worker.id, message.ready === true);
  });
  const workers = Array.from({ length: settings.workers }, () => cluster.fork());
  const server = await startMetricsServer({
    port: settings.metricsPort,
    host: settings.metricsHost,
    metrics: createClusterMetrics(),
    readiness: () => workers.every((worker) => !worker.isDead() && readiness.get(worker.id)),
  });
  logger.info(
    { metricsPort: server.port, workers: workers.map(({ process }) => process.pid) },
    'predictor workers started',
  );

  const reason = await stopRequested;
  stopping = true;
  if (reason.startsWith('worker')) process.exitCode = 1;
  logger.info({ reason }, 'stopping predictor workers');
  await stopWithin(STOP_DEADLINE_MS, async () => {
    await Promise.all(workers.map(stopWorker));
    await server.close();
  });
  logger.info('predictor workers stopped');
}

/**
 * `rnnflow predictor --workers N`, worker side: a predictor without an HTTP server of its own,
 * answering the primary's scrapes, reporting readiness, and stopping on the primary's message as
 * on a signal.
 */
export async function runWorker(settings: PredictorSettings, logger: Logger): Promise<void> {
  const workerLogger = logger.child({ worker: cluster.worker?.id });
  await servePredictor(
    () => startPredictor(settings, workerLogger, { metricsServer: false }),
    workerLogger,
    {
      stopReasons: [stopMessage()],
      onStarted: (predictor) => {
        answerClusterScrapes(predictor.metrics);
        const report = () =>
          process.send?.({ type: READY_MESSAGE, ready: predictor.ready() } satisfies ReadyReport);
        report();
        const reporter = setInterval(report, READY_REPORT_MS);
        return () => clearInterval(reporter);
      },
    },
  );
}

function workerExited(logger: Logger, stopping: () => boolean): Promise<string> {
  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping()) return;
      logger.error({ worker: worker.process.pid, code, signal }, 'predictor worker exited');
      resolve(`worker ${worker.process.pid} exited (${code ?? signal})`);
    });
  });
}

function stopMessage(): Promise<string> {
  return new Promise((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === STOP_MESSAGE) resolve('stop requested by the primary');
    });
  });
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.send({ type: STOP_MESSAGE });
  await exited;
}
