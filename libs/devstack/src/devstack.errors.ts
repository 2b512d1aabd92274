import { RnnflowError } from '@rnnflow/errors';

/** A process of the development stack could not be started, or a system package is missing. */
export class DevstackError extends RnnflowError {}
