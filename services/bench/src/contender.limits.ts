import { BenchRunError } from './bench.errors.js';

/**
 * Fetch wait of every consumer in the run. The embedded mock broker answers a fetch that finds
 * no records only after the whole wait (Kafka answers as soon as records arrive), so the
 * default 5 s would show up as latency whenever a consumer catches up.
 */
export const FETCH_WAIT_MS = 10;
/** A contender that makes no progress for this long has failed. */
export const STALL_MS = 60_000;

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
