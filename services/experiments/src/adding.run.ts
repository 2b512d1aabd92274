import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { savePng } from '@rnnflow/plots';
import type { AddingExperimentResult, AddingProgress } from '@rnnflow/training';
import { addingChart, horizonChart } from './adding.chart.js';
import type { AddingRunOptions } from './adding.options.js';
import {
  addingMarkdown,
  SHARED_TRAINING,
  summarizeAdding,
  type AddingResults,
} from './adding.results.js';
import { measureStepThroughput } from './step.throughput.js';
import { trainInWorkers, type AddingJob } from './adding.workers.js';

/** Keys per step call when timing the step kernels: a predictor batch. */
const THROUGHPUT_KEYS = 256;

/** Training progress of one cell at one sequence length of the sweep. */
export interface SweepProgress extends AddingProgress {
  readonly seqLen: number;
}

export interface AddingRunOutcome {
  readonly results: AddingResults;
  /** The summary table, as printed on stdout. */
  readonly markdown: string;
  /** Paths written: the horizon chart, one learning-curve chart per length, the JSON results. */
  readonly horizonFile: string;
  readonly curveFiles: readonly string[];
  readonly resultsFile: string;
}

/**
 * Runs the adding experiment (the training lib's `train`, the trainer's code path) for each cell
 * at each sequence length, with the same units, optimizer, learning rate, clipping, steps and
 * initialisation for all, `options.workers` trainings at a time; then, one at a time, times each
 * trained model's step kernels at 256 keys; writes `horizon.png`, `adding-T<T>.png` per length
 * and `results.json` into `options.out`.
 */
export async function runAdding(
  options: AddingRunOptions,
  onProgress?: (progress: SweepProgress) => void,
): Promise<AddingRunOutcome> {
  await mkdir(options.out, { recursive: true });
  const training = {
    units: options.units,
    steps: options.steps,
    batchSize: options.batchSize,
    evalEvery: options.evalEvery,
    ...SHARED_TRAINING,
    seed: options.seed,
  };
  const jobs = options.seqLens.flatMap((seqLen) =>
    options.cells.map((cell): AddingJob => ({ seqLen, cell, training })),
  );
  const outcomes = await trainInWorkers(jobs, options.workers, (job, progress) =>
    onProgress?.({ ...progress, seqLen: job.seqLen }),
  );
  // Timed after every training has ended: the timer counts the whole process's CPU time.
  const throughput = new Map(
    outcomes.map(({ job, cell }) => [
      `${job.seqLen}/${job.cell}`,
      measureStepThroughput(cell.model, { keys: THROUGHPUT_KEYS }),
    ]),
  );
  const experiments = options.seqLens.map((seqLen): AddingExperimentResult => {
    const atLength = outcomes.filter(({ job }) => job.seqLen === seqLen);
    return { ...atLength[0].shared, cells: atLength.map(({ cell }) => cell) };
  });
  const results = summarizeAdding(options, experiments, throughput);
  const horizonFile = path.join(options.out, 'horizon.png');
  const resultsFile = path.join(options.out, 'results.json');
  await savePng(horizonFile, await horizonChart(results));
  const curveFiles: string[] = [];
  for (const seqLen of options.seqLens) {
    const file = path.join(options.out, `adding-T${seqLen}.png`);
    await savePng(file, await addingChart(results, seqLen));
    curveFiles.push(file);
  }
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  return { results, markdown: addingMarkdown(results), horizonFile, curveFiles, resultsFile };
}
