import { RnnflowError } from '@rnnflow/errors';

/**
 * An experiment was asked for with an option it cannot run with; the message names the flag
 * and the accepted range. Never retriable: the command line must change.
 *
 * Code: `EXPERIMENT_BAD_OPTION`.
 */
export class ExperimentOptionError extends RnnflowError {
  constructor(message: string) {
    super('EXPERIMENT_BAD_OPTION', message, { retriable: false });
  }
}
