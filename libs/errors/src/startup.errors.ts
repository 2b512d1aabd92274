import { RnnflowError } from './rnnflow.errors.js';

/**
 * A start step did not finish in time. Not retriable in-process: the service exits and its
 * supervisor restarts it, which is what a stuck start needs.
 */
export class StartupTimeoutError extends RnnflowError {
  constructor(message: string) {
    super('STARTUP_TIMEOUT', message);
  }
}
