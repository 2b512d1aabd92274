/**
 * The noise-free part of one key's features, advanced one event at a time. Observation noise,
 * regime shifts and anomalies are layered on top by `KeySignal`.
 */
export interface FeatureProcess {
  /**
   * Typical magnitude of each feature (> 0, same length as the feature vector): noise, level
   * shifts and spikes are sized relative to it so that every feature is disturbed alike.
   */
  readonly scales: readonly number[];
  /** Writes the values of the next step into `out` (length = feature count). */
  next(out: number[]): void;
}
