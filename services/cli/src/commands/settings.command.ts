import { Command } from 'commander';
import { predictorSettings } from '@rnnflow/predictor';
import { simulatorSettings } from '@rnnflow/simulator';
import { trainerSettings } from '@rnnflow/trainer';
import { settingsTable } from '../settings.table.js';

/** Every service's settings, as the README shows them. */
export const SERVICE_SETTINGS = {
  predictor: predictorSettings,
  trainer: trainerSettings,
  simulate: simulatorSettings,
} as const;

/** `rnnflow settings`: print the configuration tables of the services. */
export function settingsCommand(): Command {
  return new Command('settings')
    .description('Print every setting of the predictor, trainer and simulator as markdown tables')
    .action(() => {
      for (const [service, specs] of Object.entries(SERVICE_SETTINGS)) {
        process.stdout.write(`### rnnflow ${service}\n\n${settingsTable(specs)}\n\n`);
      }
    });
}
