import { RnnflowError } from '@rnnflow/errors';

/** A benchmark option out of range; the message names the flag. */
export class BenchOptionError extends RnnflowError {
  constructor(message: string) {
    super('BENCH_OPTION', message);
  }
}

/** A contender did not finish within its time limit, or the run was interrupted. */
export class BenchRunError extends RnnflowError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('BENCH_RUN', message, options);
  }
}
