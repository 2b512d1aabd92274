import { RnnflowError } from '@rnnflow/errors';

/**
 * A model artefact (bytes or in-memory description) is unusable: truncated, corrupted,
 * inconsistent or describing something this library cannot run. Never retriable: the artefact
 * itself must be fixed or rebuilt.
 *
 * Codes: `ARTEFACT_BAD_MAGIC`, `ARTEFACT_VERSION`, `ARTEFACT_TRUNCATED`, `ARTEFACT_CHECKSUM`,
 * `ARTEFACT_TRAILING_BYTES`, `ARTEFACT_HEADER`, `ARTEFACT_FINGERPRINT`, `ARTEFACT_INVALID`, `ARTEFACT_SHAPE`,
 * `ARTEFACT_NOT_FINITE`, `ARTEFACT_UNKNOWN_LAYER`, `ARTEFACT_UNKNOWN_ACTIVATION`.
 */
export class ArtefactError extends RnnflowError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retriable: false, cause: options.cause });
  }
}

/**
 * A tfjs-layers model (model.json + weights) cannot be imported, or a model cannot be exported
 * to that format. Codes: `IMPORT_UNSUPPORTED_LAYER`, `IMPORT_UNSUPPORTED_CONFIG`,
 * `IMPORT_INVALID_MODEL`, `IMPORT_WEIGHTS`, `IMPORT_IO`, `EXPORT_UNSUPPORTED`, `EXPORT_IO`.
 */
export class ModelFormatError extends RnnflowError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retriable: false, cause: options.cause });
  }
}

/**
 * A batched step was called with buffers or a batch size that do not fit the stepper.
 * Codes: `STEP_BATCH_SIZE`, `STEP_BUFFER_SIZE`. A programming error, never retriable.
 */
export class StepError extends RnnflowError {
  constructor(code: string, message: string) {
    super(code, message, { retriable: false });
  }
}
