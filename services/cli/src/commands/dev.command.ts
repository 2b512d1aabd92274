import { Command, InvalidArgumentError } from 'commander';
import {
  createTerminalView,
  defaultReportDir,
  DEV_DEFAULTS,
  latencyLine,
  REPORT_CHARTS,
  runDev,
  type DevOptions,
} from '@rnnflow/dev';
import { waitForStop } from '../stop.signal.js';

interface DevFlags {
  duration?: number;
  keys: number;
  rate: number;
  out?: string;
  seed: number;
}

/** `rnnflow dev`: README command A, the whole system live on the embedded stack. */
export function devCommand(): Command {
  return new Command('dev')
    .description(
      'Run simulator → predictor → trainer together on the embedded stack, from an untrained model, ' +
        'with a live view; on exit (Ctrl-C or --duration) write a report folder with plots and summary.json',
    )
    .option(
      '--duration <seconds>',
      'stop after this many seconds of traffic (default: Ctrl-C)',
      positive,
    )
    .option('--keys <count>', 'simulated keys', wholePositive, DEV_DEFAULTS.keys)
    .option(
      '--rate <events/s>',
      'simulated events per second over all keys',
      positive,
      DEV_DEFAULTS.rate,
    )
    .option('--out <dir>', 'report folder (default reports/dev-<UTC timestamp>)')
    .option(
      '--seed <n>',
      'seed of the signals, the initial weights and training',
      whole,
      DEV_DEFAULTS.seed,
    )
    .action((flags: DevFlags) => dev(flags));
}

async function dev(flags: DevFlags): Promise<void> {
  const options: DevOptions = {
    durationSeconds: flags.duration,
    keys: flags.keys,
    rate: flags.rate,
    outDir: flags.out ?? defaultReportDir(new Date()),
    seed: flags.seed,
  };
  const stop = new AbortController();
  let finished: (reason: string) => void = () => {};
  const done = new Promise<string>((resolve) => (finished = resolve));
  // After the first Ctrl-C the listeners are gone: a second one ends the process at once, and
  // the stack's children follow, tethered to it.
  void waitForStop([done]).then((reason) => stop.abort(reason));
  const view = createTerminalView();
  try {
    const result = await runDev(options, { signal: stop.signal, view });
    const { versions, swaps, files } = result.summary;
    const leftOut = REPORT_CHARTS.filter((chart) => !files.includes(chart));
    if (leftOut.length > 0) {
      process.stderr.write(
        `left out ${leftOut.join(', ')}: nothing to draw yet (no forecast scored or no round trained)\n`,
      );
    }
    process.stderr.write(`${latencyLine(result.summary)}\n`);
    process.stderr.write(
      `served versions ${versions.join(' → ')} (${swaps.length} swap${swaps.length === 1 ? '' : 's'}); ` +
        `report in ${result.outDir} (${[...result.summary.files, 'summary.json'].join(', ')}); ` +
        `service logs in ${result.logFile}\n`,
    );
  } finally {
    finished('done');
  }
}

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError('expected a number > 0.');
  return number;
}

function wholePositive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return number;
}

function whole(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return number;
}
