import cluster from 'node:cluster';
import { Command } from 'commander';
import { createLogger } from '@rnnflow/logging';
import { predictorSettings, startPredictor } from '@rnnflow/predictor';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';
import { exitAfterStop } from '../exit.after.stop.js';
import { servePredictor } from './predictor.serve.js';
import { runPrimary, runWorker } from './predictor.workers.js';

/** `rnnflow predictor`: serve predictions until stopped. */
export function predictorCommand(): Command {
  const command = new Command('predictor').description(
    "Consume events, advance each key's recurrent state in Redis, produce predictions",
  );
  addSettingOptions(command, predictorSettings);
  return command.action(async (_options: unknown, self: Command) => {
    const settings = settingsFromCommand(self, predictorSettings);
    const logger = createLogger('predictor', settings.logLevel);
    if (cluster.isWorker) await runWorker(settings, logger);
    else if (settings.workers > 1) await runPrimary(settings, logger);
    else await servePredictor(() => startPredictor(settings, logger), logger);
    await exitAfterStop(logger);
  });
}
