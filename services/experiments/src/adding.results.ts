import type { AddingCell, AddingExperimentResult } from '@rnnflow/training';
import type { AddingRunOptions } from './adding.options.js';

/** One cell's line of `results.json`. */
export interface AddingCellSummary {
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

/** What `results.json` holds. */
export interface AddingResults {
  readonly seqLen: number;
  /** MSE of always predicting 1.0 (the mean target): 1/6. */
  readonly baselineMse: number;
  readonly threshold: number;
  readonly units: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  /** tfjs backend that trained: `tensorflow`, `wasm` or `cpu`. */
  readonly backend: string;
  readonly cells: Partial<Record<AddingCell, AddingCellSummary>>;
}

/** The experiment's outcome with the measured step throughput (key-steps/s) of each cell. */
export function summarizeAdding(
  options: AddingRunOptions,
  result: AddingExperimentResult,
  throughput: ReadonlyMap<AddingCell, number>,
): AddingResults {
  const cells: Partial<Record<AddingCell, AddingCellSummary>> = {};
  for (const cell of result.cells) {
    cells[cell.cell] = {
      finalMse: cell.finalMse,
      stepsToMse005: cell.stepsToThreshold,
      params: cell.parameterCount,
      trainSeconds: cell.trainingSeconds,
      stepKeysPerSecond: throughput.get(cell.cell)!,
      curve: cell.curve,
    };
  }
  return {
    seqLen: result.seqLen,
    baselineMse: result.baselineMse,
    threshold: result.threshold,
    units: options.units,
    steps: options.steps,
    batchSize: options.batchSize,
    seed: options.seed,
    backend: result.backend,
    cells,
  };
}

const CELL_NAMES: Record<AddingCell, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };

/** The summary as a markdown table, one row per cell, then the baseline. */
export function addingMarkdown(results: AddingResults): string {
  const rows = Object.entries(results.cells).map(([cell, summary]) => [
    CELL_NAMES[cell as AddingCell],
    summary.params.toLocaleString('en-US'),
    formatMse(summary.finalMse),
    summary.stepsToMse005 === null ? 'never' : String(summary.stepsToMse005),
    summary.trainSeconds.toFixed(1),
    Math.round(summary.stepKeysPerSecond).toLocaleString('en-US'),
  ]);
  const header = [
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
    `Adding problem, T = ${results.seqLen}, ${results.units} units, ${results.steps} steps of ` +
    `${results.batchSize}, seed ${results.seed}, tfjs ${results.backend} backend. ` +
    `Always predicting 1.0 scores MSE ${results.baselineMse.toFixed(3)}.`;
  return `${lines.join('\n')}\n\n${setup}\n`;
}

/** Three significant digits, which is what a curve this noisy supports. */
function formatMse(mse: number): string {
  return mse >= 0.001 ? mse.toFixed(4) : mse.toPrecision(3);
}
