import { RnnflowError } from './rnnflow.error.js';

/**
 * A start step did not finish in time. Not retriable in-process: the service exits and its
 * supervisor restarts it, which is what a stuck start needs.
 */
export class StartupTimeoutError extends RnnflowError {
  constructor(message: string) {
    super('STARTUP_TIMEOUT', message);
  }
}

/**
 * Resolves with `work`, or rejects with {@link StartupTimeoutError}(`message()`) once `timeoutMs`
 * passes first. `work` is not cancelled: the caller closes what it opened, then exits.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  message: () => string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupTimeoutError(message())), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
