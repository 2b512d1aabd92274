import { RnnflowError } from '@rnnflow/errors';

/** One or more settings are missing or invalid; the message names each one and how to set it. */
export class ConfigError extends RnnflowError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
