import { Command } from 'commander';
import {
  createAddingProgress,
  parseAddingFlags,
  runAdding,
  type AddingFlags,
} from '@rnnflow/experiments';

/**
 * `rnnflow experiment adding`: trains LSTM, GRU and SimpleRNN on the adding problem at each
 * sequence length with the trainer's training loop, writes `horizon.png`, `adding-T<T>.png` per
 * length and `results.json` into `--out`, prints the summary table in markdown on stdout;
 * progress goes to stderr.
 */
export function experimentCommand(): Command {
  const adding = new Command('adding')
    .description(
      'Adding problem (carry two marked values across T steps) swept over sequence lengths: ' +
        'final validation MSE of each cell against T, learning curves, parameters, training time ' +
        'and step-kernel throughput',
    )
    .option('--seq-len <list>', 'sequence lengths T, comma-separated (default 10,50,100)')
    .option('--cells <list>', 'cells to train, comma-separated among lstm,gru,rnn (default all)')
    .option('--units <U>', 'units of the recurrent layer (default 32)')
    .option('--steps <N>', 'Adam steps per cell and length, each on a fresh batch (default 1000)')
    .option('--batch-size <B>', 'sequences per step (default 64)')
    .option('--eval-every <N>', 'steps between validation evaluations (default 50)')
    .option('--seed <S>', 'seed of the data and the initial weights (default 1)')
    .option(
      '--workers <N>',
      'trainings run at once, each in a process of its own; results do not depend on it (default: one per core)',
    )
    .option(
      '--out <dir>',
      'folder for horizon.png, adding-T<T>.png and results.json (default ./adding-experiment)',
    )
    .action(async (flags: AddingFlags) => {
      const options = parseAddingFlags(flags);
      const progress = createAddingProgress();
      const outcome = await runAdding(options, (p) => progress.update(p)).finally(() =>
        progress.stop(),
      );
      process.stdout.write(outcome.markdown);
      const files = [outcome.horizonFile, ...outcome.curveFiles, outcome.resultsFile];
      process.stderr.write(`wrote ${files.join(', ')}\n`);
    });
  return new Command('experiment')
    .description('Reproducible experiments on rnnflow models')
    .addCommand(adding);
}
