import { RnnflowError } from '@rnnflow/errors';

/** `rnnflow state inspect` could not show the key; the message says why and what to check. */
export class StateInspectError extends RnnflowError {
  constructor(code: 'STATE_UNKNOWN_KEY' | 'STATE_UNREADABLE', message: string) {
    super(code, message);
  }
}
