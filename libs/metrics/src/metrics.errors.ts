import { RnnflowError } from '@rnnflow/errors';

/** A metrics recorder or server was set up wrongly (bad option, foreign registry); not retriable. */
export class MetricsError extends RnnflowError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('METRICS_MISCONFIGURED', message, { retriable: false, ...options });
  }
}
