import { RnnflowError } from '@rnnflow/errors';

/**
 * A training round cannot run as asked: a bad option, an event that does not fit the buffer,
 * an architecture tfjs cannot train, or data with nothing to learn from. Never retriable: the
 * caller's settings or data must change first.
 *
 * Codes: `TRAINING_BAD_OPTION`, `TRAINING_BAD_EVENT`, `TRAINING_UNSUPPORTED_ARCHITECTURE`,
 * `TRAINING_NO_DATA`, `TRAINING_SHAPE_MISMATCH`, `TRAINING_DIVERGED`.
 */
export class TrainingError extends RnnflowError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retriable: false, cause: options.cause });
  }
}

/** Throws `TRAINING_BAD_OPTION` unless `value` is an integer within `min..max`. */
export function requireInteger(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TrainingError(
      'TRAINING_BAD_OPTION',
      `${name} must be an integer in ${min}..${max}, got ${value}`,
    );
  }
}

/** Throws `TRAINING_BAD_OPTION` unless `value` is a finite number within `min..max`. */
export function requireNumber(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new TrainingError(
      'TRAINING_BAD_OPTION',
      `${name} must be a number in ${min}..${max}, got ${value}`,
    );
  }
}
