import { Command } from 'commander';
import { createLogger } from '@rnnflow/logging';
import { predictorSettings, startPredictor } from '@rnnflow/predictor';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';
import { exitAfterStop } from '../exit.after.stop.js';
import { stopWithin, waitForStop } from '../stop.signal.js';

/** Shutdown budget: finish the batch in flight, commit, leave the group. */
const STOP_DEADLINE_MS = 10_000;

/** `rnnflow predictor`: serve predictions until stopped. */
export function predictorCommand(): Command {
  const command = new Command('predictor').description(
    "Consume events, advance each key's recurrent state in Redis, produce predictions",
  );
  addSettingOptions(command, predictorSettings);
  return command.action(async (_options: unknown, self: Command) => {
    const settings = settingsFromCommand(self, predictorSettings);
    const logger = createLogger('predictor', settings.logLevel);
    // Listening before the start: a SIGTERM while joining the group must still stop cleanly.
    const stopRequested = waitForStop();
    const predictor = await startPredictor(settings, logger);
    const reason = await Promise.race([
      stopRequested,
      predictor.failed.then((error) => `consumer failed: ${error.message}`),
    ]);
    if (reason.startsWith('consumer failed')) process.exitCode = 1;
    logger.info({ reason }, 'stopping predictor');
    await stopWithin(STOP_DEADLINE_MS, () => predictor.stop());
    logger.info('predictor stopped');
    await exitAfterStop(logger);
  });
}
