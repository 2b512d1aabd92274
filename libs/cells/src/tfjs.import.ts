import type { ModelArchitecture } from './architecture.js';
import { ModelFormatError } from './cells.errors.js';
import { RecurrentModel, type ModelDefinition } from './recurrent.model.js';
import type { TfjsModelArtifacts, TfjsWeightSpec } from './tfjs.format.js';
import { checkWeightSpecs, weightByteLength } from './tfjs.manifest.js';
import { parseSequentialTopology, type TopologyLayer } from './tfjs.topology.js';
import type { WeightTensor } from './weights.js';

/** What the tfjs format does not carry, to attach while importing. */
export type ImportOptions = Pick<ModelDefinition, 'normalization' | 'outputNames' | 'metadata'>;

function concatBuffers(data: ArrayBuffer | readonly ArrayBuffer[]): Uint8Array {
  const buffers = data instanceof ArrayBuffer ? [data] : data;
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    bytes.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return bytes;
}

/** Splits the concatenated weight bytes into float32 tensors, in manifest order. */
function decodeWeights(specs: readonly TfjsWeightSpec[], bytes: Uint8Array): WeightTensor[] {
  let offset = 0;
  const tensors = specs.map((spec) => {
    const end = offset + weightByteLength(spec);
    if (end > bytes.length) {
      throw new ModelFormatError(
        'IMPORT_WEIGHTS',
        `weight data ends at byte ${bytes.length}, before weight ${spec.name} (needs bytes ${offset}..${end})`,
      );
    }
    // Copy: the source may be unaligned, and the model must own its weights.
    const values = new Float32Array(bytes.slice(offset, end).buffer);
    offset = end;
    return { name: spec.name, shape: [...spec.shape], values };
  });
  if (offset !== bytes.length) {
    throw new ModelFormatError(
      'IMPORT_WEIGHTS',
      `weight data holds ${bytes.length} bytes but the manifest describes ${offset}`,
    );
  }
  return tensors;
}

/** Last path segment without a `:0` suffix: `lstm/lstm_cell/kernel:0` → `kernel`. */
function role(name: string): string {
  return (name.split('/').pop() ?? name).replace(/:\d+$/, '');
}

/**
 * Gives each weighted layer its weights: layers consume the manifest in order (the order tfjs
 * and the converter write), each weight identified by its name's last segment.
 */
function assignWeights(
  layers: readonly TopologyLayer[],
  tensors: readonly WeightTensor[],
): WeightTensor[] {
  const named: WeightTensor[] = [];
  let next = 0;
  layers.forEach((layer, n) => {
    const prefix = layer.kind === 'dense' ? 'head' : `layers/${n}`;
    const roles = layer.kind === 'dense' ? ['kernel'] : ['kernel', 'recurrent_kernel'];
    if (layer.spec.useBias) roles.push('bias');
    const own = tensors.slice(next, next + roles.length);
    next += roles.length;
    for (const wanted of roles) {
      const tensor = own.find((t) => role(t.name) === wanted);
      if (!tensor) {
        throw new ModelFormatError(
          'IMPORT_WEIGHTS',
          `layer '${layer.name}' needs a ${wanted} weight; the manifest has ${own.map((t) => t.name).join(', ') || 'nothing'} at its position`,
        );
      }
      named.push({ ...tensor, name: `${prefix}/${wanted}` });
    }
  });
  if (next !== tensors.length) {
    throw new ModelFormatError(
      'IMPORT_WEIGHTS',
      `the manifest lists ${tensors.length} weights, the layers use ${next}`,
    );
  }
  return named;
}

function architectureOf(layers: readonly TopologyLayer[], inputSize: number): ModelArchitecture {
  const last = layers[layers.length - 1];
  return {
    inputSize,
    layers: layers.flatMap((l) => (l.kind === 'recurrent' ? [l.spec] : [])),
    head: last.kind === 'dense' ? last.spec : null,
  };
}

/**
 * Builds a model from in-memory tfjs artifacts (`io.withSaveHandler` output, or the same
 * shape built by hand).
 * @throws ModelFormatError for unsupported layers/options or inconsistent weights;
 *   ArtefactError when the resulting model is invalid (shapes, NaN/Infinity).
 */
export function importTfjsArtifacts(
  artifacts: TfjsModelArtifacts,
  options: ImportOptions = {},
): RecurrentModel {
  const topology = parseSequentialTopology(artifacts.modelTopology);
  const specs = checkWeightSpecs(artifacts.weightSpecs);
  const tensors = decodeWeights(specs, concatBuffers(artifacts.weightData));
  const weights = assignWeights(topology.layers, tensors);
  const kernelRows = weights[0].shape[0];
  if (topology.declaredInputSize !== null && topology.declaredInputSize !== kernelRows) {
    throw new ModelFormatError(
      'IMPORT_INVALID_MODEL',
      `the model declares ${topology.declaredInputSize} input features but its first kernel has ${kernelRows} rows`,
    );
  }
  const source = { format: 'tfjs-layers', kerasVersion: topology.kerasVersion };
  const saved = savedByExporter(artifacts.userDefinedMetadata);
  return RecurrentModel.create({
    architecture: architectureOf(topology.layers, kernelRows),
    weights,
    normalization: options.normalization ?? saved.normalization,
    outputNames: options.outputNames ?? saved.outputNames,
    metadata: { ...saved.metadata, importedFrom: source, ...options.metadata },
  });
}

const isNumbers = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'number');

/** What exportTfjsArtifacts stored under `userDefinedMetadata.rnnflow`, if anything. */
function savedByExporter(userDefined: Record<string, unknown> | undefined): ImportOptions {
  const saved = userDefined?.rnnflow;
  if (typeof saved !== 'object' || saved === null) return {};
  const { normalization, outputNames, metadata } = saved as Record<string, unknown>;
  const invalid = (what: string) =>
    new ModelFormatError('IMPORT_INVALID_MODEL', `userDefinedMetadata.rnnflow.${what}`);
  if (normalization != null) {
    const { mean, std } = normalization as Record<string, unknown>;
    if (!isNumbers(mean) || !isNumbers(std))
      throw invalid('normalization needs mean and std number lists');
  }
  if (
    outputNames !== undefined &&
    !(Array.isArray(outputNames) && outputNames.every((n) => typeof n === 'string'))
  ) {
    throw invalid('outputNames must be a list of strings');
  }
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null)) {
    throw invalid('metadata must be an object');
  }
  const norm = normalization as { mean: number[]; std: number[] } | null | undefined;
  return {
    normalization: norm
      ? { mean: Float32Array.from(norm.mean), std: Float32Array.from(norm.std) }
      : null,
    outputNames: outputNames as string[] | undefined,
    metadata: metadata as Record<string, unknown> | undefined,
  };
}
