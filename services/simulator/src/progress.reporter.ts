import { SingleBar } from 'cli-progress';
import type { Logger } from '@rnnflow/logging';

/** Where a run stands. */
export interface SimulationProgress {
  /** Records produced so far, tombstones included. */
  sent: number;
  /** Records the run will produce; Infinity when it runs until stopped. */
  limit: number;
  tombstones: number;
  anomalies: number;
  /** Since the run started, ms. */
  elapsedMs: number;
}

/** Shows a run's progress; `stop` prints the final state and releases the terminal line. */
export interface ProgressReporter {
  update(progress: SimulationProgress): void;
  stop(progress: SimulationProgress): void;
}

/** How progress is shown: a cli-progress bar, a log line every 10 s, or nothing. */
export type ProgressMode = 'bar' | 'log' | 'none';

const LOG_INTERVAL_MS = 10_000;

/** A reporter for `mode`; the bar goes to `stream` (stderr, so stdout stays clean). */
export function createProgressReporter(
  mode: ProgressMode,
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (mode === 'bar') return barReporter(stream);
  if (mode === 'log') return logReporter(logger);
  return { update: () => {}, stop: () => {} };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: SingleBar | undefined;
  const show = (progress: SimulationProgress) => {
    const payload = {
      rate: achievedRate(progress).toFixed(0),
      anomalies: progress.anomalies,
      tombstones: progress.tombstones,
    };
    if (bar === undefined) {
      bar = new SingleBar({
        stream,
        fps: 4,
        hideCursor: true,
        format: barFormat(progress.limit),
        barsize: 30,
      });
      bar.start(Number.isFinite(progress.limit) ? progress.limit : 0, progress.sent, payload);
    } else {
      bar.update(progress.sent, payload);
    }
  };
  return {
    update: show,
    stop: (progress) => {
      show(progress);
      bar?.stop();
    },
  };
}

function barFormat(limit: number): string {
  const counts = '{value} events | {rate} ev/s | {anomalies} anomalies | {tombstones} tombstones';
  return Number.isFinite(limit)
    ? `simulate [{bar}] {percentage}% | ${counts.replace('{value}', '{value}/{total}')} | eta {eta_formatted}`
    : `simulate | ${counts} | {duration_formatted}`;
}

function logReporter(logger: Logger): ProgressReporter {
  let lastLogMs = 0;
  const log = (progress: SimulationProgress, message: string) =>
    logger.info(
      {
        sent: progress.sent,
        limit: Number.isFinite(progress.limit) ? progress.limit : undefined,
        eventsPerSecond: Math.round(achievedRate(progress)),
        anomalies: progress.anomalies,
        tombstones: progress.tombstones,
      },
      message,
    );
  return {
    update: (progress) => {
      if (progress.elapsedMs - lastLogMs < LOG_INTERVAL_MS) return;
      lastLogMs = progress.elapsedMs;
      log(progress, 'simulating');
    },
    stop: (progress) => log(progress, 'simulation finished'),
  };
}

/** Records per second since the start (0 before any time has passed). */
export function achievedRate(progress: SimulationProgress): number {
  return progress.elapsedMs > 0 ? (progress.sent * 1000) / progress.elapsedMs : 0;
}
