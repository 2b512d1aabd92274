import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { savePng } from '@rnnflow/plots';
import { runAddingExperiment, type AddingCell, type AddingProgress } from '@rnnflow/training';
import { addingChart } from './adding.chart.js';
import type { AddingRunOptions } from './adding.options.js';
import { addingMarkdown, summarizeAdding, type AddingResults } from './adding.results.js';
import { measureStepThroughput } from './step.throughput.js';

/** Keys per step call when timing the step kernels: a predictor batch. */
const THROUGHPUT_KEYS = 256;

export interface AddingRunOutcome {
  readonly results: AddingResults;
  /** The summary table, as printed on stdout. */
  readonly markdown: string;
  /** Paths written: the chart and the JSON results. */
  readonly chartFile: string;
  readonly resultsFile: string;
}

/**
 * Runs the adding experiment (the training lib's `train`, the trainer's code path) for each
 * cell, times each trained model's step kernels at 256 keys, and writes `adding.png` and
 * `results.json` into `options.out`.
 */
export async function runAdding(
  options: AddingRunOptions,
  onProgress?: (progress: AddingProgress) => void,
): Promise<AddingRunOutcome> {
  await mkdir(options.out, { recursive: true });
  const result = await runAddingExperiment({
    seqLen: options.seqLen,
    cells: options.cells,
    units: options.units,
    steps: options.steps,
    batchSize: options.batchSize,
    evalEvery: options.evalEvery,
    seed: options.seed,
    onProgress,
  });
  const throughput = new Map<AddingCell, number>(
    result.cells.map((cell) => [
      cell.cell,
      measureStepThroughput(cell.model, { keys: THROUGHPUT_KEYS }),
    ]),
  );
  const results = summarizeAdding(options, result, throughput);
  const chartFile = path.join(options.out, 'adding.png');
  const resultsFile = path.join(options.out, 'results.json');
  await savePng(chartFile, await addingChart(results));
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  return { results, markdown: addingMarkdown(results), chartFile, resultsFile };
}
