import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { savePng } from '@rnnflow/plots';
import {
  runAddingExperiment,
  type AddingExperimentResult,
  type AddingProgress,
} from '@rnnflow/training';
import { addingChart, horizonChart } from './adding.chart.js';
import type { AddingRunOptions } from './adding.options.js';
import {
  addingMarkdown,
  SHARED_TRAINING,
  summarizeAdding,
  type AddingResults,
} from './adding.results.js';
import { measureStepThroughput } from './step.throughput.js';

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
 * Runs the adding experiment (the training lib's `train`, the trainer's code path) at each
 * sequence length for each cell, with the same units, optimizer, learning rate, clipping, steps
 * and initialisation for all; times each trained model's step kernels at 256 keys; writes
 * `horizon.png`, `adding-T<T>.png` per length and `results.json` into `options.out`.
 */
export async function runAdding(
  options: AddingRunOptions,
  onProgress?: (progress: SweepProgress) => void,
): Promise<AddingRunOutcome> {
  await mkdir(options.out, { recursive: true });
  const experiments: AddingExperimentResult[] = [];
  const throughput = new Map<string, number>();
  for (const seqLen of options.seqLens) {
    const experiment = await runAddingExperiment({
      seqLen,
      cells: options.cells,
      units: options.units,
      steps: options.steps,
      batchSize: options.batchSize,
      evalEvery: options.evalEvery,
      ...SHARED_TRAINING,
      seed: options.seed,
      onProgress: onProgress && ((progress) => onProgress({ ...progress, seqLen })),
    });
    for (const cell of experiment.cells) {
      throughput.set(
        `${seqLen}/${cell.cell}`,
        measureStepThroughput(cell.model, { keys: THROUGHPUT_KEYS }),
      );
    }
    experiments.push(experiment);
  }
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
