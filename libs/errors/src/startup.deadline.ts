import { StartupTimeoutError } from './startup.errors.js';

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
