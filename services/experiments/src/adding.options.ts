import { availableParallelism } from 'node:os';
import type { AddingCell } from '@rnnflow/training';
import { ExperimentOptionError } from './experiment.errors.js';

/** The adding experiment as the command runs it; every field validated. */
export interface AddingRunOptions {
  /** The sequence lengths T swept, each 2–1000, ascending, no repeats. */
  readonly seqLens: readonly number[];
  /** Cells to train, in this order, no repeats. */
  readonly cells: readonly AddingCell[];
  /** Units of the recurrent layer, 1–1024. */
  readonly units: number;
  /** Optimizer steps per cell, 1–1,000,000. */
  readonly steps: number;
  /** Sequences per step, 1–4096. */
  readonly batchSize: number;
  /** Steps between validation evaluations (the last step is always evaluated). */
  readonly evalEvery: number;
  readonly seed: number;
  /** Trainings run at once, each in a process of its own, 1–64. */
  readonly workers: number;
  /** Folder receiving `horizon.png`, `adding-T<T>.png` and `results.json`; created when missing. */
  readonly out: string;
}

/** The command's flags as commander hands them over: strings, or undefined when not given. */
export interface AddingFlags {
  readonly seqLen?: string;
  readonly cells?: string;
  readonly units?: string;
  readonly steps?: string;
  readonly batchSize?: string;
  readonly evalEvery?: string;
  readonly seed?: string;
  readonly workers?: string;
  readonly out?: string;
}

/**
 * Defaults that finish within 12 minutes on two cores (wasm backend) and reach T = 100, where
 * the published results have a tanh RNN stay at the baseline while LSTM solves the task. One
 * training per core at a time.
 */
export const ADDING_DEFAULTS = {
  seqLens: [10, 50, 100],
  cells: ['lstm', 'gru', 'rnn'],
  units: 32,
  steps: 1000,
  batchSize: 64,
  evalEvery: 50,
  seed: 1,
  workers: availableParallelism(),
  out: 'adding-experiment',
} as const satisfies AddingRunOptions;

const CELLS: readonly AddingCell[] = ['lstm', 'gru', 'rnn'];

/**
 * Validates the flags and fills in defaults.
 * @throws ExperimentOptionError naming the flag, what it accepts and what it got.
 */
export function parseAddingFlags(flags: AddingFlags): AddingRunOptions {
  const steps = integerFlag('--steps', flags.steps, ADDING_DEFAULTS.steps, 1, 1_000_000);
  return {
    seqLens: seqLensFlag(flags.seqLen),
    cells: cellsFlag(flags.cells),
    units: integerFlag('--units', flags.units, ADDING_DEFAULTS.units, 1, 1024),
    steps,
    batchSize: integerFlag('--batch-size', flags.batchSize, ADDING_DEFAULTS.batchSize, 1, 4096),
    evalEvery: integerFlag('--eval-every', flags.evalEvery, ADDING_DEFAULTS.evalEvery, 1, steps),
    seed: integerFlag('--seed', flags.seed, ADDING_DEFAULTS.seed, 0, 2 ** 31 - 1),
    workers: integerFlag('--workers', flags.workers, ADDING_DEFAULTS.workers, 1, 64),
    out: outFlag(flags.out),
  };
}

function integerFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ExperimentOptionError(
      `${flag} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function seqLensFlag(text: string | undefined): readonly number[] {
  if (text === undefined) return ADDING_DEFAULTS.seqLens;
  const lengths = text
    .split(',')
    .map((item) => integerFlag('--seq-len', item, Number.NaN, 2, 1000))
    .sort((a, b) => a - b);
  if (new Set(lengths).size !== lengths.length) {
    throw new ExperimentOptionError(`--seq-len lists a length twice: ${JSON.stringify(text)}`);
  }
  return lengths;
}

function cellsFlag(text: string | undefined): readonly AddingCell[] {
  if (text === undefined) return ADDING_DEFAULTS.cells;
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !CELLS.includes(name as AddingCell));
  if (unknown.length > 0) {
    throw new ExperimentOptionError(
      `--cells takes a comma-separated list of ${CELLS.join(', ')}; got ${JSON.stringify(text)}`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new ExperimentOptionError(`--cells lists a cell twice: ${JSON.stringify(text)}`);
  }
  return names as AddingCell[];
}

function outFlag(text: string | undefined): string {
  if (text === undefined) return ADDING_DEFAULTS.out;
  if (text.trim() === '') throw new ExperimentOptionError('--out must name a folder, got ""');
  return text;
}
