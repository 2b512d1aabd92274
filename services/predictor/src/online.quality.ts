/**
 * Online quality: how far a prediction was from what actually happened. A prediction made at a
 * key's step t is a forecast of the label features of event t+1 (the trainer's default label),
 * unless event t carries a `target`, which is then its label.
 */

/** Mean absolute error of `output` against `features[indices]`. */
export function forecastError(
  output: Float32Array,
  features: readonly number[],
  indices: readonly number[],
): number {
  let sum = 0;
  for (let index = 0; index < indices.length; index += 1)
    sum += Math.abs(output[index] - features[indices[index]]);
  return sum / indices.length;
}

/** Mean absolute error of `output` against `target`, over the outputs both have. */
export function targetError(output: Float32Array, target: readonly number[]): number {
  const length = Math.min(output.length, target.length);
  let sum = 0;
  for (let index = 0; index < length; index += 1) sum += Math.abs(output[index] - target[index]);
  return sum / length;
}

/** Absolute errors of one batch, per model version that made the scored predictions. */
export class ErrorsByVersion {
  readonly byVersion = new Map<number, number[]>();

  add(version: number, error: number): void {
    const errors = this.byVersion.get(version);
    if (errors) errors.push(error);
    else this.byVersion.set(version, [error]);
  }
}
