import { Command } from 'commander';
import { createLogger } from '@rnnflow/logging';
import { startTrainer, trainerSettings, trainOnce } from '@rnnflow/trainer';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';
import { exitAfterStop } from '../exit.after.stop.js';
import { stopWithin, waitForStop } from '../stop.signal.js';

/** Shutdown budget: abort the round in flight after its current step, commit, leave the group. */
const STOP_DEADLINE_MS = 15_000;

/** `rnnflow trainer`: retrain on the event stream and publish versions that beat the active one. */
export function trainerCommand(): Command {
  const command = new Command('trainer')
    .description(
      'Buffer recent events per key, retrain the model in rounds, publish and activate a version only when it beats the active one on held-out data',
    )
    .option(
      '--once',
      'read the input topic up to its current end, run one round, print a JSON summary on stdout and exit',
    );
  addSettingOptions(command, trainerSettings);
  return command.action(async (options: { once?: boolean }, self: Command) => {
    const settings = settingsFromCommand(self, trainerSettings);
    // Logs go to stderr, so that stdout carries only the --once summary.
    const logger = createLogger('trainer', settings.logLevel);
    if (options.once) {
      const summary = await trainOnce(settings, logger);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    // Listening before the start: a SIGTERM while joining the group must still stop cleanly.
    const stopRequested = waitForStop();
    const trainer = await startTrainer(settings, logger);
    const reason = await stopRequested;
    logger.info({ reason }, 'stopping trainer');
    await stopWithin(STOP_DEADLINE_MS, () => trainer.stop());
    logger.info('trainer stopped');
    await exitAfterStop(logger);
  });
}
