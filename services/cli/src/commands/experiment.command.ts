import { Command } from 'commander';
import {
  createAddingProgress,
  parseAddingFlags,
  runAdding,
  type AddingFlags,
} from '@rnnflow/experiments';

/**
 * `rnnflow experiment adding`: trains LSTM, GRU and SimpleRNN on the adding problem with the
 * trainer's training loop, writes `adding.png` and `results.json` into `--out`, prints the
 * summary table in markdown on stdout; progress goes to stderr.
 */
export function experimentCommand(): Command {
  const adding = new Command('adding')
    .description(
      'Adding problem (carry two marked values across T steps): validation MSE of each cell ' +
        'against training step, parameters, training time and step-kernel throughput',
    )
    .option('--seq-len <T>', 'steps per sequence (default 30)')
    .option('--cells <list>', 'cells to train, comma-separated among lstm,gru,rnn (default all)')
    .option('--units <U>', 'units of the recurrent layer (default 32)')
    .option('--steps <N>', 'Adam steps per cell, each on a fresh batch (default 1500)')
    .option('--batch-size <B>', 'sequences per step (default 64)')
    .option('--eval-every <N>', 'steps between validation evaluations (default 50)')
    .option('--seed <S>', 'seed of the data and the initial weights (default 1)')
    .option('--out <dir>', 'folder for adding.png and results.json (default ./adding-experiment)')
    .action(async (flags: AddingFlags) => {
      const options = parseAddingFlags(flags);
      const progress = createAddingProgress();
      const outcome = await runAdding(options, (p) => progress.update(p)).finally(() =>
        progress.stop(),
      );
      process.stdout.write(outcome.markdown);
      process.stderr.write(`wrote ${outcome.chartFile} and ${outcome.resultsFile}\n`);
    });
  return new Command('experiment')
    .description('Reproducible experiments on rnnflow models')
    .addCommand(adding);
}
