/**
 * Runs the adding-problem experiment and prints one progress line per evaluation, then a summary
 * table and the full result as JSON on the last line.
 *
 *   npx tsx libs/training/bench/adding.experiment.bench.ts [steps] [seqLen] [cells,comma,separated]
 */
import { runAddingExperiment, type AddingCell } from '../src/index.js';

const [steps = '1500', seqLen = '30', cells = 'lstm,gru,rnn'] = process.argv.slice(2);

const result = await runAddingExperiment({
  steps: Number(steps),
  seqLen: Number(seqLen),
  cells: cells.split(',') as AddingCell[],
  seed: 1,
  onProgress: (p) =>
    console.error(
      `${p.cell.padEnd(4)} step ${String(p.step).padStart(5)}/${p.totalSteps} ` +
        `val MSE ${p.validationMse.toFixed(4)} train MSE ${p.trainMse.toFixed(4)} ${p.elapsedSeconds.toFixed(1)} s`,
    ),
});
console.table(
  result.cells.map((c) => ({
    cell: c.cell,
    finalMse: Number(c.finalMse.toFixed(4)),
    stepsToThreshold: c.stepsToThreshold,
    parameters: c.parameterCount,
    seconds: Number(c.trainingSeconds.toFixed(1)),
  })),
);
console.log(`backend ${result.backend}, baseline MSE ${result.baselineMse.toFixed(4)}`);
// The trained models' weights would swamp the line.
console.log(
  JSON.stringify({ ...result, cells: result.cells.map(({ model: _model, ...cell }) => cell) }),
);
