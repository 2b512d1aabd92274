import { ArtefactError } from './cells.errors.js';

/**
 * Per-feature input normalization applied before the first layer: x' = (x − mean) / std.
 * Both arrays have I entries; every std is finite and > 0.
 */
export interface InputNormalization {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/**
 * @throws ArtefactError `ARTEFACT_SHAPE` when a vector is not I long, `ARTEFACT_NOT_FINITE` for
 *   a NaN/Infinity, `ARTEFACT_INVALID` for a std that is not > 0.
 */
export function checkNormalization(normalization: InputNormalization, inputSize: number): void {
  for (const [name, values] of [
    ['mean', normalization.mean],
    ['std', normalization.std],
  ] as const) {
    if (!(values instanceof Float32Array) || values.length !== inputSize) {
      throw new ArtefactError(
        'ARTEFACT_SHAPE',
        `normalization ${name} must hold ${inputSize} floats (one per input feature)`,
      );
    }
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new ArtefactError('ARTEFACT_NOT_FINITE', `normalization ${name}[${i}] is ${v}`);
      }
    });
  }
  normalization.std.forEach((v, i) => {
    if (v <= 0)
      throw new ArtefactError('ARTEFACT_INVALID', `normalization std[${i}] is ${v}, must be > 0`);
  });
}
