import { RnnflowError } from '@rnnflow/errors';

/**
 * A round cannot run with the registry's model as it is. Codes: `TRAINER_SHAPE_MISMATCH` (the
 * active model's input or output size differs from the buffered events), `TRAINER_MODEL_UNREADABLE`
 * (the active version's artefact does not decode). Not retriable: a model or a setting must change.
 */
export class TrainerError extends RnnflowError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retriable: false, cause: options.cause });
  }
}
