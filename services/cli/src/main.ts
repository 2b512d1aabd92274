import { Command } from 'commander';
import { RnnflowError } from '@rnnflow/errors';
import { benchCommand } from './commands/bench.command.js';
import { devCommand } from './commands/dev.command.js';
import { devstackCommand } from './commands/devstack.command.js';
import { experimentCommand } from './commands/experiment.command.js';
import { modelCommand } from './commands/model.command.js';
import { predictorCommand } from './commands/predictor.command.js';
import { settingsCommand } from './commands/settings.command.js';
import { simulateCommand } from './commands/simulate.command.js';
import { stateCommand } from './commands/state.command.js';
import { trainerCommand } from './commands/trainer.command.js';

const program = new Command('rnnflow')
  .description('Real-time stateful recurrent predictions on Kafka event streams, state in Redis.')
  .showHelpAfterError()
  .addCommand(devCommand())
  .addCommand(devstackCommand())
  .addCommand(predictorCommand())
  .addCommand(modelCommand())
  .addCommand(stateCommand())
  .addCommand(simulateCommand())
  .addCommand(settingsCommand())
  .addCommand(benchCommand())
  .addCommand(trainerCommand())
  .addCommand(experimentCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Errors we raise on purpose carry a message written for the user; anything else is a bug
  // and keeps its stack.
  if (error instanceof RnnflowError) {
    process.stderr.write(`rnnflow: ${error.message}\n`);
  } else {
    process.stderr.write(
      `rnnflow: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exitCode = 1;
}
