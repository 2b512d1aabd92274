import type { RoundRecord } from '@rnnflow/trainer';
import type { DevOptions } from './dev.options.js';
import type { LatencyPercentiles } from './latency.histogram.js';
import type { Swap } from './run.record.js';
import type { PhaseTiming } from './terminal.view.js';

/** `summary.json`: what a run did. Times are seconds since the traffic started unless named. */
export interface DevSummary {
  /** ISO time the traffic started. */
  readonly startedAt: string;
  /** Seconds of traffic. */
  readonly durationSeconds: number;
  readonly options: { keys: number; rate: number; seed: number };
  readonly events: {
    /** Produced by the simulator and acknowledged. */
    produced: number;
    /** Predictions read from the output topic. */
    predicted: number;
    /** Records read from the dead-letter topic. */
    deadLettered: number;
  };
  /** Model versions in the order they served; the first is the untrained initial model. */
  readonly versions: number[];
  readonly swaps: Swap[];
  /**
   * Mean absolute online error of feature 0 per version: each forecast read from the output
   * topic against the next event of its key read from the input topic (what the plots show).
   */
  readonly onlineError: Record<string, number>;
  /** Forecasts scored per version for {@link DevSummary.onlineError}. */
  readonly onlineErrorSamples: Record<string, number>;
  /**
   * The same error as the predictor measured it (its `..._absolute_error_mean` gauge), for the
   * versions it still reports (its most recent few).
   */
  readonly predictorOnlineError: Record<string, number>;
  readonly trainingRounds: TrainingRoundSummary[];
  readonly throughput: {
    /** Events produced per second of traffic. */
    eventsPerSecond: number;
    /** Predictions read per second of traffic. */
    predictionsPerSecond: number;
    /** Best one-second input rate seen. */
    peakEventsPerSecond: number;
  };
  /** Largest number of events read but not yet seen predicted, sampled each second. */
  readonly lagMax: number;
  /**
   * Prediction latency over the run (input record time → prediction produced), ms, estimated
   * from the predictor's `rnnflow_predictor_end_to_end_seconds` histogram; null before the first
   * prediction.
   */
  readonly latency: {
    predictions: number;
    p50Ms: number;
    p99Ms: number;
    p999Ms: number;
  } | null;
  /** Wall time of each step, in order. */
  readonly phases: readonly PhaseTiming[];
  /** Report files written besides this one. */
  readonly files: string[];
}

/** A training round as the summary shows it (losses are MSE on held-out windows). */
export interface TrainingRoundSummary {
  /** Seconds since the traffic started, when the round ended. */
  readonly at: number;
  readonly outcome: RoundRecord['outcome'];
  readonly reason?: string;
  readonly version?: number;
  readonly championVersion: number | null;
  readonly losses?: RoundRecord['losses'];
  readonly windows?: RoundRecord['windows'];
  readonly seconds: number;
}

/** What a run did, shared by the summary and the report. */
export interface RunFigures {
  readonly options: DevOptions;
  readonly startMs: number;
  readonly trafficSeconds: number;
  readonly produced: number;
  readonly predicted: number;
  readonly deadLettered: number;
}

export interface SummaryInputs extends RunFigures {
  readonly versions: number[];
  readonly swaps: Swap[];
  readonly onlineError: ReadonlyMap<number, { mean: number; count: number }>;
  readonly predictorOnlineError: ReadonlyMap<number, number>;
  readonly rounds: readonly RoundRecord[];
  readonly peakEventsPerSecond: number;
  readonly lagMax: number;
  readonly latency: LatencyPercentiles | undefined;
  readonly phases: readonly PhaseTiming[];
  readonly files: string[];
}

export function buildSummary(inputs: SummaryInputs): DevSummary {
  const { options, startMs, trafficSeconds } = inputs;
  const perSecond = (count: number) => round(trafficSeconds > 0 ? count / trafficSeconds : 0, 1);
  return {
    startedAt: new Date(startMs).toISOString(),
    durationSeconds: round(trafficSeconds, 2),
    options: { keys: options.keys, rate: options.rate, seed: options.seed },
    events: {
      produced: inputs.produced,
      predicted: inputs.predicted,
      deadLettered: inputs.deadLettered,
    },
    versions: inputs.versions,
    swaps: inputs.swaps.map((swap) => ({ ...swap, at: round(swap.at, 2) })),
    onlineError: byVersion(inputs.onlineError, ({ mean }) => round(mean, 5)),
    onlineErrorSamples: byVersion(inputs.onlineError, ({ count }) => count),
    predictorOnlineError: byVersion(inputs.predictorOnlineError, (mean) => round(mean, 5)),
    trainingRounds: inputs.rounds.map((record) => ({
      at: round((record.at - startMs) / 1000, 2),
      outcome: record.outcome,
      reason: record.reason,
      version: record.version,
      championVersion: record.championVersion,
      losses: record.losses,
      windows: record.windows,
      seconds: round(record.seconds, 2),
    })),
    throughput: {
      eventsPerSecond: perSecond(inputs.produced),
      predictionsPerSecond: perSecond(inputs.predicted),
      peakEventsPerSecond: round(inputs.peakEventsPerSecond, 1),
    },
    lagMax: inputs.lagMax,
    latency:
      inputs.latency === undefined
        ? null
        : {
            predictions: inputs.latency.predictions,
            p50Ms: round(inputs.latency.p50Ms, 1),
            p99Ms: round(inputs.latency.p99Ms, 1),
            p999Ms: round(inputs.latency.p999Ms, 1),
          },
    phases: inputs.phases,
    files: inputs.files,
  };
}

function byVersion<T>(
  values: ReadonlyMap<number, T>,
  pick: (value: T) => number,
): Record<string, number> {
  return Object.fromEntries([...values].map(([version, value]) => [String(version), pick(value)]));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The report's latency line: percentiles of input record time → prediction produced. */
export function latencyLine(summary: Pick<DevSummary, 'latency'>): string {
  const { latency } = summary;
  if (latency === null) return 'prediction latency: no prediction made';
  return (
    `prediction latency p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, p99.9 ${latency.p999Ms} ms ` +
    `over ${latency.predictions} predictions (input record time → prediction produced, ` +
    "from the predictor's histogram)"
  );
}
