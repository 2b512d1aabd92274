import { lineChart } from '@rnnflow/plots';
import type { AddingResults } from './adding.results.js';

const MSE_FLOOR = 1e-9;

/**
 * Validation MSE against training step for each cell, on a log axis (the curves span three
 * decades), with the always-1.0 baseline and the solve threshold as dashed lines.
 */
export function addingChart(results: AddingResults): Promise<Buffer> {
  return lineChart({
    title: `Adding problem, T = ${results.seqLen}: validation MSE while training`,
    xLabel: `training step (batches of ${results.batchSize})`,
    yLabel: 'validation MSE (log scale)',
    series: Object.entries(results.cells).map(([cell, summary]) => ({
      name: `${cell} (${summary.params.toLocaleString('en-US')} params)`,
      // A log axis cannot show 0; an exact 0 MSE is drawn at the floor instead of failing the run.
      points: summary.curve.map(({ step, mse }) => ({ x: step, y: Math.max(mse, MSE_FLOOR) })),
    })),
    rules: [
      {
        y: results.baselineMse,
        label: `baseline: always 1.0 (MSE ${results.baselineMse.toFixed(3)})`,
      },
      { y: results.threshold, label: `MSE ${results.threshold}` },
    ],
    logY: true,
  });
}
