import { RnnflowError } from '@rnnflow/errors';

/**
 * A chart cannot be drawn from what was given: no series, a non-finite coordinate, a
 * non-positive value on a log axis, a bad size. Never retriable: the caller's data must change.
 *
 * Codes: `PLOT_BAD_DATA`, `PLOT_BAD_OPTION`.
 */
export class PlotError extends RnnflowError {
  constructor(code: 'PLOT_BAD_DATA' | 'PLOT_BAD_OPTION', message: string) {
    super(code, message, { retriable: false });
  }
}
