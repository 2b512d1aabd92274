import { RnnflowError } from '@rnnflow/errors';

/** Negative codes the Lua scripts return instead of a per-key result array. */
export enum ScriptErrorCode {
  /** The writer's epoch is not the partition's current one: it lost the partition. */
  Fenced = -1,
  /** A record argument has no readable offset: a bug in the caller, nothing was written. */
  BadRecord = -2,
}

/**
 * Redis could not be reached or failed a command; the same call may succeed later, unless Redis
 * refused the credentials (`retriable: false`).
 */
export class StateUnavailableError extends RnnflowError {
  constructor(message: string, cause?: unknown, options: { retriable?: boolean } = {}) {
    super('STATE_UNAVAILABLE', message, { retriable: options.retriable ?? true, cause });
  }
}

/** A script refused its arguments; retrying the same call will not help. */
export class StateScriptError extends RnnflowError {
  constructor(message: string, cause?: unknown) {
    super('STATE_SCRIPT_REFUSED', message, { cause });
  }
}

/**
 * The Redis user (ACL) may not run a command or touch a key that state operations need. Never
 * retriable: an operator must grant the right; the message names it.
 */
export class StatePermissionError extends RnnflowError {
  constructor(message: string, cause?: unknown) {
    super('STATE_NO_PERMISSION', message, { cause });
  }
}

/** A state record or argument the codec cannot represent (out-of-range offset, step, lengths). */
export class StateEncodeError extends RnnflowError {
  constructor(message: string, cause?: unknown) {
    super('STATE_ENCODE', message, { cause });
  }
}

/** Maps a script reply to per-key codes, or `'fenced'` when the writer lost the partition. */
export function readScriptReply(reply: unknown, script: string): number[] | 'fenced' {
  if (Array.isArray(reply)) return reply.map(Number);
  if (reply === ScriptErrorCode.Fenced) return 'fenced';
  if (reply === ScriptErrorCode.BadRecord) {
    return fail(`${script}: a record has no readable offset (encode it with encodeState)`);
  }
  return fail(`${script}: unexpected reply ${String(reply)}`);
}

function fail(message: string): never {
  throw new StateScriptError(message);
}
