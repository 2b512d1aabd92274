import { BenchRunError } from './bench.errors.js';

/**
 * Fetch wait of the baselines (passthrough, naive, the floor service): what the predictor uses
 * on the embedded broker, which answers a fetch that finds no records only after the whole wait
 * (Kafka answers as soon as records arrive). The predictor itself runs with its own default.
 */
export const FETCH_WAIT_MS = 10;
/**
 * A contender that makes no progress for this long has failed. Generous: when the embedded
 * broker refuses a member's SyncGroup (a mock race), the group settles only after that member's
 * session (30 s by default) has expired and everyone has joined again.
 */
const STALL_MS = 180_000;

/** Throws when the run was interrupted or a contender stalled. */
export function checkAlive(
  signal: AbortSignal,
  stalledMs: number,
  contender: string,
  done: number,
): void {
  if (signal.aborted) throw new BenchRunError('benchmark interrupted');
  if (stalledMs > STALL_MS) {
    throw new BenchRunError(
      `the ${contender} made no progress for ${STALL_MS / 1000} s (${done} events done); see its log on stderr`,
    );
  }
}
