import type { AddingCell } from '@rnnflow/training';
import { lineChart } from '@rnnflow/plots';
import { CELL_NAMES, type AddingResults } from './adding.results.js';

const MSE_FLOOR = 1e-9;

/** A log axis cannot show 0; an exact 0 MSE is drawn at the floor instead of failing the run. */
const floored = (mse: number) => Math.max(mse, MSE_FLOOR);

function baselineRules(results: AddingResults) {
  return [
    {
      y: results.baselineMse,
      label: `baseline: always 1.0 (MSE ${results.baselineMse.toFixed(3)})`,
    },
    { y: results.threshold, label: `MSE ${results.threshold}` },
  ];
}

/**
 * Validation MSE against training step for each cell at one sequence length, on a log axis (the
 * curves span three decades), with the always-1.0 baseline and the solve threshold as dashed lines.
 */
export function addingChart(results: AddingResults, seqLen: number): Promise<Buffer> {
  return lineChart({
    title: `Adding problem, T = ${seqLen}: validation MSE while training`,
    xLabel: `training step (batches of ${results.batchSize})`,
    yLabel: 'validation MSE (log scale)',
    series: results.entries
      .filter((entry) => entry.seqLen === seqLen)
      .map((entry) => ({
        name: `${entry.cell} (${entry.params.toLocaleString('en-US')} params)`,
        points: entry.curve.map(({ step, mse }) => ({ x: step, y: floored(mse) })),
      })),
    rules: baselineRules(results),
    logY: true,
  });
}

/** Final validation MSE against sequence length, one line per cell: the memory horizon. */
export function horizonChart(results: AddingResults): Promise<Buffer> {
  const cells = [...new Set(results.entries.map((entry) => entry.cell))];
  return lineChart({
    title: `Adding problem: final MSE after ${results.steps} steps, by length`,
    xLabel: 'sequence length T (the first marked value is carried T/2 to T steps)',
    yLabel: 'final validation MSE (log scale)',
    series: cells.map((cell: AddingCell) => ({
      name: CELL_NAMES[cell],
      points: results.entries
        .filter((entry) => entry.cell === cell)
        .map((entry) => ({ x: entry.seqLen, y: floored(entry.finalMse) })),
    })),
    rules: baselineRules(results),
    logY: true,
  });
}
