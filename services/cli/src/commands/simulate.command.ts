import { Command } from 'commander';
import { createLogger } from '@rnnflow/logging';
import { runSimulator, simulatorSettings } from '@rnnflow/simulator';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';

/**
 * `rnnflow simulate`: synthetic events at a steady rate over many keys, until `--events` or
 * `--duration` is reached or Ctrl-C/SIGTERM; prints a JSON summary on stdout.
 */
export function simulateCommand(): Command {
  const command = new Command('simulate').description(
    'Produce synthetic multi-key event streams (seasonal, random walk, regime shifts, anomalies)',
  );
  addSettingOptions(command, simulatorSettings);
  return command.action(async (_options: unknown, self: Command) => {
    const settings = settingsFromCommand(self, simulatorSettings);
    const logger = createLogger('simulator', settings.logLevel);
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal while the batch in flight finishes means: do not wait.
      if (controller.signal.aborted) process.exit(130);
      logger.info({ signal }, 'stopping after the batch in flight');
      controller.abort();
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    try {
      const summary = await runSimulator(settings, { signal: controller.signal, logger });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  });
}
