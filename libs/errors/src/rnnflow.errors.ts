/**
 * Base of every error rnnflow raises on purpose.
 *
 * Callers match on `code` (stable, documented) or on the subclass, never on the message,
 * which is written for a human and may change. `retriable` tells whether the same call
 * may succeed later without any change by the user (a broker that is down), as opposed to
 * one that needs a fix (a bad setting, a corrupt artefact).
 */
export class RnnflowError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(
    code: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** True when `error` is an RnnflowError that says the operation may succeed if tried again. */
export function isRetriable(error: unknown): boolean {
  return error instanceof RnnflowError && error.retriable;
}
