import type { Logger } from '@rnnflow/logging';
import { CatchUpTracker, partitionRanges } from './catch-up.tracker.js';
import type { RoundRecord } from './round.log.js';
import { recordFailedRound, runRound } from './round.runner.js';
import { openRuntime, startConsumer, type TrainerRuntime } from './trainer.runtime.js';
import type { TrainerSettings } from './trainer.settings.js';

/** What `rnnflow trainer --once` prints: the round, and what went into it. */
export interface OnceSummary {
  readonly round: RoundRecord;
  /** Training backend, e.g. `wasm`. */
  readonly backend: string;
  readonly consumed: {
    readonly events: number;
    readonly keys: number;
    /** Records skipped by reason (unreadable or of the wrong shape). */
    readonly skipped: Record<string, number>;
    readonly seconds: number;
  };
}

/** A fetch wait this short lets the consumer leave soon after the last batch. */
const ONCE_FETCH_WAIT_MS = 500;
/**
 * With no new batch for this long after the group join, reading is over even if a partition
 * stopped short of its high watermark (a trailing transaction marker is never handed over).
 */
const IDLE_AFTER_JOIN_MS = 5000;

/**
 * Reads the input topic in the trainer's group up to the high watermarks seen at start
 * (committing as it goes), runs one round, and returns its summary. A failed round throws.
 */
export async function trainOnce(settings: TrainerSettings, logger: Logger): Promise<OnceSummary> {
  const runtime = await openRuntime(settings, logger);
  try {
    const started = performance.now();
    const stopConsumer = await readToHighWatermarks(runtime);
    const readSeconds = (performance.now() - started) / 1000;
    // Leave the group now: the round may take a while and must not hold partitions.
    await stopConsumer();
    const { keys, events } = runtime.intake.stats();
    const roundStarted = performance.now();
    let round: RoundRecord;
    try {
      round = await runRound(runtime);
    } catch (error) {
      await recordFailedRound(runtime, error, (performance.now() - roundStarted) / 1000);
      throw error;
    }
    return {
      round,
      backend: runtime.backend.name,
      consumed: { events, keys, skipped: runtime.intake.skipCounts(), seconds: readSeconds },
    };
  } finally {
    await runtime.close();
  }
}

/** Resolves with the consumer's stop once every partition is read (or with a no-op if none). */
async function readToHighWatermarks(runtime: TrainerRuntime): Promise<() => Promise<void>> {
  const { kafka, settings, logger } = runtime;
  const [watermarks, committed] = await Promise.all([
    kafka.fetchWatermarks(settings.inputTopic),
    kafka.fetchCommittedOffsets(settings.groupId, settings.inputTopic),
  ]);
  const tracker = new CatchUpTracker(partitionRanges(watermarks, committed));
  if (tracker.done()) {
    logger.info({ topic: settings.inputTopic }, 'no new records since the last commit');
    return async () => {};
  }
  let lastBatchAt = 0;
  let reached: () => void = () => {};
  let crashed: (error: Error) => void = () => {};
  const caughtUp = new Promise<void>((resolve, reject) => {
    reached = resolve;
    crashed = reject;
  });
  const { stop } = await startConsumer(
    runtime,
    { maxWaitTimeMs: ONCE_FETCH_WAIT_MS, onCrash: (error) => crashed(error) },
    (partition, next) => {
      lastBatchAt = performance.now();
      tracker.advanced(partition, next);
      if (tracker.done()) reached();
    },
  );
  const idleCheck = setInterval(() => {
    if (lastBatchAt > 0 && performance.now() - lastBatchAt > IDLE_AFTER_JOIN_MS) {
      logger.warn({ partitions: tracker.pending() }, 'no records for a while; reading stops here');
      reached();
    }
  }, 500);
  try {
    await caughtUp;
  } finally {
    clearInterval(idleCheck);
  }
  return stop;
}
