import { RnnflowError } from '@rnnflow/errors';

/** A simulator option out of range; the message names the option and the accepted range. */
export class SimulatorOptionError extends RnnflowError {
  constructor(message: string) {
    super('SIMULATOR_BAD_OPTION', message);
  }
}
