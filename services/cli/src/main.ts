import { Command } from 'commander';
import { RnnflowError } from '@rnnflow/errors';
import { missingPackage } from './tooling.errors.js';

/**
 * Each command's module, imported only when that command runs; `command.list.json` names and
 * describes them for `rnnflow --help`, which bin/rnnflow.js answers without loading any.
 */
export const COMMAND_LOADERS: Record<string, () => Promise<Command>> = {
  dev: async () => (await import('./commands/dev.command.js')).devCommand(),
  devstack: async () => (await import('./commands/devstack.command.js')).devstackCommand(),
  predictor: async () => (await import('./commands/predictor.command.js')).predictorCommand(),
  model: async () => (await import('./commands/model.command.js')).modelCommand(),
  state: async () => (await import('./commands/state.command.js')).stateCommand(),
  simulate: async () => (await import('./commands/simulate.command.js')).simulateCommand(),
  settings: async () => (await import('./commands/settings.command.js')).settingsCommand(),
  bench: async () => (await import('./commands/bench.command.js')).benchCommand(),
  trainer: async () => (await import('./commands/trainer.command.js')).trainerCommand(),
  experiment: async () => (await import('./commands/experiment.command.js')).experimentCommand(),
};

/**
 * Runs `rnnflow <name> …` (process.argv). A failure prints one line and exits 1 at once: a client
 * library may hold a timer or socket open, and a service that failed to start must not linger.
 */
export async function runCommand(name: string): Promise<void> {
  try {
    const command = await COMMAND_LOADERS[name]().catch((error: unknown) => {
      throw missingPackage(name, error) ?? error;
    });
    await new Command('rnnflow').addCommand(command).parseAsync(process.argv);
  } catch (error) {
    // Errors we raise on purpose carry a message written for the user; anything else is a bug
    // and keeps its stack.
    const message =
      error instanceof RnnflowError
        ? error.message
        : `unexpected error: ${error instanceof Error ? error.stack : String(error)}`;
    process.stderr.write(`rnnflow: ${message}\n`, () => process.exit(1));
  }
}
