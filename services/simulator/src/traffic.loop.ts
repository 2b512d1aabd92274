import { setTimeout as sleepFor } from 'node:timers/promises';
import type { RatePacer } from '@rnnflow/pacing';
import type { EventSource, SimulatedRecord } from './event.source.js';
import type { SimulationProgress } from './progress.reporter.js';

/** Time source of the loop; replaceable so that unit tests need not wait. */
export interface LoopClock {
  /** Wall time, epoch ms: paces the run and stamps each event's `ts`. */
  now(): number;
  /** Resolves after `ms`, or rejects once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const systemClock: LoopClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
};

/** Options of {@link runTrafficLoop}. */
export interface TrafficLoopOptions {
  source: EventSource;
  pacer: RatePacer;
  /** Run length, ms; Infinity when only the record limit or `signal` ends it. */
  durationMs: number;
  /** Produces one batch of records, all stamped `ts` (epoch ms); resolves once acknowledged. */
  send(records: readonly SimulatedRecord[], ts: number): Promise<void>;
  /** Told after every batch. */
  onProgress(progress: SimulationProgress): void;
  signal?: AbortSignal;
  clock?: LoopClock;
}

/** How a run ended. */
export interface TrafficOutcome extends SimulationProgress {
  /** `signal` aborted the run before its planned end. */
  stopped: boolean;
  /** The duration ran out while records were still due: the broker could not take the rate. */
  fellBehind: boolean;
}

/** Shortest sleep between batches, ms: at high rates, batches beat one record per timer tick. */
const MIN_TICK_MS = 5;
/** A run that is still sending due records this long after its duration gives up, ms. */
const DEADLINE_SLACK_MS = 1000;

/**
 * Sends records at the pacer's rate until its limit is reached, the duration is over, or
 * `signal` aborts. A batch in flight is finished, never cut off, so every counted record was
 * acknowledged.
 */
export async function runTrafficLoop(options: TrafficLoopOptions): Promise<TrafficOutcome> {
  const { source, pacer, durationMs, signal } = options;
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const progress: SimulationProgress = {
    sent: 0,
    limit: pacer.limit,
    tombstones: 0,
    anomalies: 0,
    elapsedMs: 0,
  };
  let fellBehind = false;
  while (!pacer.done(progress.sent) && signal?.aborted !== true) {
    const now = clock.now();
    const elapsed = now - start;
    if (elapsed >= durationMs + DEADLINE_SLACK_MS) {
      fellBehind = true;
      break;
    }
    const due = pacer.due(elapsed, progress.sent);
    if (due === 0) {
      const wait = Math.max(MIN_TICK_MS, pacer.msUntilNext(elapsed, progress.sent));
      if (!(await sleepUnlessAborted(clock, wait, signal))) break;
      continue;
    }
    const batch: SimulatedRecord[] = [];
    for (let i = 0; i < due; i += 1) batch.push(source.next(now));
    await options.send(batch, now);
    progress.sent += due;
    for (const record of batch) {
      if (record.value === null) progress.tombstones += 1;
      if (record.anomaly !== undefined) progress.anomalies += 1;
    }
    progress.elapsedMs = clock.now() - start;
    options.onProgress({ ...progress });
  }
  progress.elapsedMs = clock.now() - start;
  return { ...progress, stopped: signal?.aborted === true, fellBehind };
}

/** Sleeps `ms`; false when `signal` aborted the sleep. */
async function sleepUnlessAborted(
  clock: LoopClock,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch (error) {
    if (signal?.aborted === true) return false;
    throw error;
  }
}
