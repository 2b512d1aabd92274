import { isRetriable } from '@rnnflow/errors';
import { StreamOptionError } from './stream.errors.js';

/** Options of {@link retry}. Delays are milliseconds. */
export interface RetryOptions {
  /** Further attempts after the first one, ≥ 0. Default 5. */
  retries?: number;
  /** Upper bound of the first delay, > 0. Default 100 ms. */
  initialMs?: number;
  /** Cap of every delay, ≥ initialMs. Default 10 000 ms. */
  maxMs?: number;
  /** Whether an error is worth another attempt. Default: the error's `retriable` flag. */
  shouldRetry?: (error: unknown) => boolean;
  /** Told before each wait: the failed attempt (1-based), its error, and the delay chosen. */
  onRetry?: (event: { attempt: number; error: unknown; delayMs: number }) => void;
  /** Uniform [0, 1) source; replaceable so tests are deterministic. Default Math.random. */
  random?: () => number;
  /** Waits `ms`; replaceable so tests need not wait. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRIES = 5;
const DEFAULT_RETRY_INITIAL_MS = 100;
const DEFAULT_RETRY_MAX_MS = 10_000;

/**
 * A retriable error says so: an RnnflowError with `retriable`, or a kafkajs error (which carries
 * the same flag). Anything else is a bug or a bad input, and retrying it only delays the report.
 */
function hasRetriableFlag(error: unknown): boolean {
  if (isRetriable(error)) return true;
  return (error as { retriable?: unknown } | null)?.retriable === true;
}

/**
 * Delay before retry number `attempt` (1-based): "full jitter", uniform in
 * [0, min(maxMs, initialMs · 2^(attempt−1))), so that many clients that lost the same broker
 * do not come back in lockstep.
 */
export function backoffDelayMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until it resolves, retrying retriable failures with exponential backoff and full
 * jitter; rethrows the last error once `retries` are used up or an error is not retriable.
 * `fn` receives the attempt number (1-based).
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const initialMs = options.initialMs ?? DEFAULT_RETRY_INITIAL_MS;
  const maxMs = options.maxMs ?? DEFAULT_RETRY_MAX_MS;
  validate(retries, initialMs, maxMs);
  const shouldRetry = options.shouldRetry ?? hasRetriableFlag;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > retries || !shouldRetry(error)) throw error;
      const delayMs = backoffDelayMs(attempt, initialMs, maxMs, random);
      options.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs);
    }
  }
}

function validate(retries: number, initialMs: number, maxMs: number): void {
  if (!Number.isInteger(retries) || retries < 0) {
    throw new StreamOptionError(`retry: retries must be a whole number ≥ 0, got ${retries}`);
  }
  if (!(initialMs > 0)) {
    throw new StreamOptionError(`retry: initialMs must be > 0, got ${initialMs}`);
  }
  if (!(maxMs >= initialMs)) {
    throw new StreamOptionError(`retry: maxMs (${maxMs}) must be ≥ initialMs (${initialMs})`);
  }
}
