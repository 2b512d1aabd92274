import type { Logger } from '@rnnflow/logging';
import type { PredictorHandle } from '@rnnflow/predictor';
import { stopWithin, waitForStop } from '../stop.signal.js';

/** Shutdown budget: finish the batch in flight, commit, leave the group. */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Starts a predictor and serves until a stop signal (or one of `stopReasons`), or until its
 * consumer fails for good (exit code 1, for the supervisor to restart it); then stops it within
 * the deadline. `onStarted` runs once it serves and returns what to undo before stopping.
 */
export async function servePredictor(
  start: () => Promise<PredictorHandle>,
  logger: Logger,
  options: {
    stopReasons?: readonly Promise<string>[];
    onStarted?: (predictor: PredictorHandle) => () => void;
  } = {},
): Promise<void> {
  // Listening before the start: a SIGTERM while joining the group must still stop cleanly.
  const stopRequested = waitForStop(options.stopReasons);
  const predictor = await start();
  const undo = options.onStarted?.(predictor);
  const reason = await Promise.race([
    stopRequested,
    predictor.failed.then((error) => `consumer failed: ${error.message}`),
  ]);
  undo?.();
  if (reason.startsWith('consumer failed')) process.exitCode = 1;
  logger.info({ reason }, 'stopping predictor');
  await stopWithin(STOP_DEADLINE_MS, () => predictor.stop());
  logger.info('predictor stopped');
}
