import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { savePng } from '@rnnflow/plots';
import type { LatencyPercentiles } from './latency.histogram.js';
import type { RoundRecord } from '@rnnflow/trainer';
import { onlineErrorChart, predictionsChart, trainingLossChart } from './report.charts.js';
import { buildSummary, type DevSummary, type RunFigures } from './report.summary.js';
import type { RunRecord } from './run.record.js';
import type { TrainingPoint } from './service.logs.js';
import type { PhaseTiming } from './terminal.view.js';

/** The report's charts, in the order they are written. */
export const REPORT_CHARTS = ['predictions.png', 'online-error.png', 'training-loss.png'] as const;

/** Everything the report is made of, gathered before the services stopped. */
export interface ReportData extends RunFigures {
  readonly record: RunRecord;
  readonly binSeconds: number;
  /** The predictor's own online error per version at the end. */
  readonly predictorOnlineError: ReadonlyMap<number, number>;
  /** Prediction latency over the run, from the predictor's histogram at the end. */
  readonly latency: LatencyPercentiles | undefined;
  readonly rounds: readonly RoundRecord[];
  readonly trainingPoints: readonly TrainingPoint[];
  readonly peakEventsPerSecond: number;
  readonly lagMax: number;
}

/**
 * Writes `predictions.png`, `online-error.png`, `training-loss.png` and `summary.json` into
 * `outDir`. A chart with nothing to draw (a run stopped before any forecast was scored or any
 * round trained) is left out, and `summary.files` says which were written.
 */
export async function writeReport(
  outDir: string,
  data: ReportData,
  phases: readonly PhaseTiming[],
): Promise<DevSummary> {
  const { record } = data;
  const swaps = record.swaps();
  const tracked = record.trackedKeys();
  const bins = record.errorBins();
  const [predictions, onlineError, trainingLoss] = REPORT_CHARTS;
  const charts: [string, Promise<Buffer> | undefined][] = [
    [predictions, tracked.size > 0 ? predictionsChart(tracked, swaps) : undefined],
    [onlineError, bins.length > 0 ? onlineErrorChart(bins, swaps, data.binSeconds) : undefined],
    [trainingLoss, trainingLossChart(data.rounds, data.trainingPoints)],
  ];
  const files: string[] = [];
  for (const [name, chart] of charts) {
    if (chart === undefined) continue;
    await savePng(path.join(outDir, name), await chart);
    files.push(name);
  }
  const summary = buildSummary({
    ...data,
    versions: record.versions(),
    swaps,
    onlineError: record.onlineError(),
    phases,
    files,
  });
  await writeFile(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
