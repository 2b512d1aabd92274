import { lineChart, type Marker, type Rule, type Series } from '@rnnflow/plots';
import type { RoundRecord } from '@rnnflow/trainer';
import type { ErrorBin, Swap, TrackedPoint } from './run.record.js';
import type { TrainingPoint } from './service.logs.js';

/** Tolerance when matching a progress line to the round it belongs to, ms. */
const ROUND_MATCH_SLACK_MS = 250;
/** A log axis cannot show 0. */
const LOSS_FLOOR = 1e-6;

function swapMarkers(swaps: readonly Swap[]): Marker[] {
  return swaps.map((swap) => ({ x: swap.at, label: `v${swap.to} serving` }));
}

/**
 * Feature 0 of each tracked key's events against the forecast made one step earlier, over
 * time, with a marker where each new version started serving.
 */
export function predictionsChart(
  tracked: ReadonlyMap<string, readonly TrackedPoint[]>,
  swaps: readonly Swap[],
): Promise<Buffer> {
  const series: Series[] = [];
  for (const [key, points] of [...tracked].sort(([a], [b]) => a.localeCompare(b))) {
    series.push({ name: `${key} actual`, points: points.map((p) => ({ x: p.at, y: p.actual })) });
    series.push({
      name: `${key} forecast`,
      points: points.map((p) => ({ x: p.at, y: p.forecast })),
    });
  }
  return lineChart({
    title: 'Next-event forecast of feature 0 vs what happened, per key',
    xLabel: 'seconds since the traffic started (event time)',
    yLabel: 'feature 0',
    series,
    markers: swapMarkers(swaps),
    width: 960,
    height: 480,
  });
}

/** Mean absolute online error per version over time bins, with swap markers. */
export function onlineErrorChart(
  bins: readonly ErrorBin[],
  swaps: readonly Swap[],
  binSeconds: number,
): Promise<Buffer> {
  const versions = [...new Set(bins.map((bin) => bin.version))].sort((a, b) => a - b);
  return lineChart({
    title: `Online error per model version (mean over ${binSeconds} s bins)`,
    xLabel: 'seconds since the traffic started (event time)',
    yLabel: 'mean absolute error, feature 0',
    series: versions.map((version) => ({
      name: `v${version}`,
      points: bins
        .filter((bin) => bin.version === version)
        .map((bin) => ({ x: bin.at + binSeconds / 2, y: bin.meanAbsoluteError })),
    })),
    markers: swapMarkers(swaps),
    width: 960,
    height: 480,
  });
}

/**
 * Training and validation loss of each round's candidate by optimizer step (one point per
 * epoch), named by the version it became, with each round's champion held-out loss as a rule.
 * Undefined when no round trained.
 */
export function trainingLossChart(
  rounds: readonly RoundRecord[],
  points: readonly TrainingPoint[],
): Promise<Buffer> | undefined {
  const series: Series[] = [];
  const rules: Rule[] = [];
  rounds.forEach((round, index) => {
    if (round.losses === undefined) return;
    const name =
      round.outcome === 'published' ? `v${round.version}` : `round ${index + 1} (${round.outcome})`;
    const own = pointsOf(round, points);
    const training = own.map((p) => ({ x: p.step, y: Math.max(p.trainLoss, LOSS_FLOOR) }));
    const validation = own.flatMap((p) =>
      p.validationLoss === null ? [] : [{ x: p.step, y: Math.max(p.validationLoss, LOSS_FLOOR) }],
    );
    if (training.length > 0) series.push({ name: `${name} training`, points: training });
    if (validation.length > 0) series.push({ name: `${name} validation`, points: validation });
    const champion = round.losses.champion;
    if (champion !== null && champion > 0 && !nearAny(rules, champion)) {
      const against = round.championVersion === null ? 'untrained' : `v${round.championVersion}`;
      rules.push({ y: champion, label: `${against} held-out (round ${index + 1})` });
    }
  });
  if (series.length === 0) return undefined;
  return lineChart({
    title: 'Training and validation loss of each round, by version',
    xLabel: 'optimizer step within the round',
    yLabel: 'MSE (log scale)',
    series,
    rules,
    logY: true,
    width: 960,
    height: 480,
  });
}

/** Rules closer than this on the log axis would print their labels over each other. */
const RULE_MIN_RATIO = 1.25;

function nearAny(rules: readonly Rule[], y: number): boolean {
  return rules.some((rule) => Math.max(rule.y / y, y / rule.y) < RULE_MIN_RATIO);
}

/** The progress lines reported while `round` ran (rounds run one at a time). */
function pointsOf(round: RoundRecord, points: readonly TrainingPoint[]): TrainingPoint[] {
  const from = round.at - round.seconds * 1000 - ROUND_MATCH_SLACK_MS;
  const to = round.at + ROUND_MATCH_SLACK_MS;
  return points.filter((p) => p.time >= from && p.time <= to);
}
