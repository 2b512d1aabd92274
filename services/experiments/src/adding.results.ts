import type { AddingCell, AddingExperimentResult } from '@rnnflow/training';
import type { AddingRunOptions } from './adding.options.js';

/** One (sequence length, cell) run: an entry of `results.json`. */
export interface AddingEntry {
  /** T, steps per sequence. */
  readonly seqLen: number;
  readonly cell: AddingCell;
  /** Validation MSE after the last step. */
  readonly finalMse: number;
  /** First evaluated step with validation MSE ≤ 0.05, or null if never. */
  readonly stepsToMse005: number | null;
  /** Trainable parameters, recurrent layer and head. */
  readonly params: number;
  /** Wall time of the training loop, evaluations included, s. */
  readonly trainSeconds: number;
  /** Key-steps per second of rnnflow's step kernels for this trained model, 256 keys per call. */
  readonly stepKeysPerSecond: number;
  /** Validation MSE at each evaluation. */
  readonly curve: readonly { readonly step: number; readonly mse: number }[];
}

/** What `results.json` holds: the settings every run shared, then one entry per (T, cell). */
export interface AddingResults {
  readonly seqLens: readonly number[];
  /** MSE of always predicting 1.0 (the mean target): 1/6. */
  readonly baselineMse: number;
  readonly threshold: number;
  readonly units: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly clipNorm: number;
  readonly seed: number;
  /** tfjs backend that trained: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  /** Ordered by sequence length, then cell in the order trained. */
  readonly entries: readonly AddingEntry[];
}

/** The training settings every cell gets at every length (none is tuned per cell). */
export const SHARED_TRAINING = { learningRate: 0.005, clipNorm: 1 } as const;

/**
 * The sweep's outcome, one experiment per sequence length, with the measured step throughput
 * (key-steps/s) of each trained model under `${seqLen}/${cell}`.
 */
export function summarizeAdding(
  options: AddingRunOptions,
  experiments: readonly AddingExperimentResult[],
  throughput: ReadonlyMap<string, number>,
): AddingResults {
  const entries = experiments.flatMap((experiment) =>
    experiment.cells.map((cell): AddingEntry => ({
      seqLen: experiment.seqLen,
      cell: cell.cell,
      finalMse: cell.finalMse,
      stepsToMse005: cell.stepsToThreshold,
      params: cell.parameterCount,
      trainSeconds: cell.trainingSeconds,
      stepKeysPerSecond: throughput.get(`${experiment.seqLen}/${cell.cell}`)!,
      curve: cell.curve,
    })),
  );
  const first = experiments[0];
  return {
    seqLens: experiments.map((experiment) => experiment.seqLen),
    baselineMse: first.baselineMse,
    threshold: first.threshold,
    units: options.units,
    steps: options.steps,
    batchSize: options.batchSize,
    ...SHARED_TRAINING,
    seed: options.seed,
    backend: first.backend,
    entries,
  };
}

export const CELL_NAMES: Record<AddingCell, string> = {
  lstm: 'LSTM',
  gru: 'GRU',
  rnn: 'SimpleRNN',
};

/** The summary as a markdown table, one row per (T, cell), then the setup and the baseline. */
export function addingMarkdown(results: AddingResults): string {
  const rows = results.entries.map((entry) => [
    String(entry.seqLen),
    CELL_NAMES[entry.cell],
    entry.params.toLocaleString('en-US'),
    formatMse(entry.finalMse),
    entry.stepsToMse005 === null ? 'never' : String(entry.stepsToMse005),
    entry.trainSeconds.toFixed(1),
    Math.round(entry.stepKeysPerSecond).toLocaleString('en-US'),
  ]);
  const header = [
    'T',
    'cell',
    'parameters',
    'final validation MSE',
    `steps to MSE ≤ ${results.threshold}`,
    'training s',
    'step key/s (256 keys)',
  ];
  const lines = [header, header.map(() => '---'), ...rows].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  const setup =
    `Adding problem, T = ${results.seqLens.join(', ')}; every cell ${results.units} units, ` +
    `${results.steps} steps of ${results.batchSize}, Adam ${results.learningRate}, gradient norm ` +
    `clipped at ${results.clipNorm}, seed ${results.seed}, tfjs ${results.backend} backend. ` +
    `Always predicting 1.0 scores MSE ${results.baselineMse.toFixed(3)}.`;
  return `${lines.join('\n')}\n\n${setup}\n`;
}

/** Three significant digits, which is what a curve this noisy supports. */
function formatMse(mse: number): string {
  return mse >= 0.001 ? mse.toFixed(4) : mse.toPrecision(3);
}
