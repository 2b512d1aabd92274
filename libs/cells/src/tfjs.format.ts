/**
 * The parts of the tfjs-layers saved-model format this library reads and writes
 * (`model.json` as written by `model.save('file://…')` and `tensorflowjs_converter`).
 */

/** One weight of a weights manifest; data is little-endian, in manifest order. */
export interface TfjsWeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  /** Present on quantized weights, which this library refuses. */
  readonly quantization?: unknown;
}

/** A group of weights stored across one or more shard files, concatenated in order. */
export interface TfjsWeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly TfjsWeightSpec[];
}

/** Contents of a `model.json` file. */
export interface TfjsModelJson {
  readonly modelTopology: unknown;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly weightsManifest: readonly TfjsWeightsGroup[];
  readonly userDefinedMetadata?: Record<string, unknown>;
}

/**
 * In-memory model, shaped like tfjs `io.ModelArtifacts` (what `io.withSaveHandler` receives
 * and `io.fromMemory` accepts).
 */
export interface TfjsModelArtifacts {
  readonly modelTopology: unknown;
  readonly weightSpecs: readonly TfjsWeightSpec[];
  /** All weights concatenated in `weightSpecs` order (or the same split in several buffers). */
  readonly weightData: ArrayBuffer | readonly ArrayBuffer[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  /** Free JSON kept by tfjs; the exporter stores normalization and output names under `rnnflow`. */
  readonly userDefinedMetadata?: Record<string, unknown>;
}

/** File name of the single weight shard written by the exporter (the name tfjs uses). */
export const SHARD_FILE = 'group1-shard1of1.bin';
