import { ModelFormatError } from './cells.errors.js';
import type { TfjsModelJson, TfjsWeightSpec, TfjsWeightsGroup } from './tfjs.format.js';

/**
 * Shape checks of a `model.json` read from disk or of in-memory weight specs, before anything
 * trusts them: a malformed manifest is refused with the JSON path of the bad field instead of
 * failing later on a property of `null`.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(where: string, message: string): ModelFormatError {
  return new ModelFormatError('IMPORT_INVALID_MODEL', `${where}: ${message}`);
}

/** A weight spec at `where`, e.g. `weightsManifest[0].weights[2]`. */
function checkWeightSpec(value: unknown, where: string): TfjsWeightSpec {
  if (!isObject(value)) throw invalid(where, 'must be an object with name, shape and dtype');
  if (typeof value.name !== 'string' || value.name === '') {
    throw invalid(`${where}.name`, 'must be a non-empty string');
  }
  const { shape } = value;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
    throw invalid(`${where}.shape`, 'must be a list of whole numbers ≥ 0');
  }
  if (typeof value.dtype !== 'string') throw invalid(`${where}.dtype`, 'must be a string');
  return value as unknown as TfjsWeightSpec;
}

/** Checks in-memory weight specs (`weightSpecs` of tfjs artifacts). */
export function checkWeightSpecs(value: unknown, where = 'weightSpecs'): TfjsWeightSpec[] {
  if (!Array.isArray(value)) throw invalid(where, 'must be a list of weight specs');
  return value.map((spec, index) => checkWeightSpec(spec, `${where}[${index}]`));
}

function checkGroup(value: unknown, where: string): TfjsWeightsGroup {
  if (!isObject(value)) throw invalid(where, 'must be an object with paths and weights');
  const { paths } = value;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw invalid(`${where}.paths`, 'must be a list of file names');
  }
  return {
    paths: paths as string[],
    weights: checkWeightSpecs(value.weights, `${where}.weights`),
  };
}

/** Checks the parsed contents of a `model.json` (`file` names it in messages). */
export function parseModelJson(value: unknown, file: string): TfjsModelJson {
  if (!isObject(value)) throw invalid(file, 'must hold a JSON object');
  if (!isObject(value.modelTopology)) {
    throw invalid(`${file}: modelTopology`, 'must be an object (a tfjs-layers model topology)');
  }
  if (!Array.isArray(value.weightsManifest)) {
    throw invalid(`${file}: weightsManifest`, 'must be a list of weight groups');
  }
  const userDefined = value.userDefinedMetadata;
  if (userDefined !== undefined && !isObject(userDefined)) {
    throw invalid(`${file}: userDefinedMetadata`, 'must be an object');
  }
  return {
    modelTopology: value.modelTopology,
    weightsManifest: value.weightsManifest.map((group, index) =>
      checkGroup(group, `${file}: weightsManifest[${index}]`),
    ),
    userDefinedMetadata: userDefined,
  };
}

/**
 * Bytes a weight takes in the shard files: only unquantized float32 is supported, so
 * 4 × the element count.
 * @throws ModelFormatError for other dtypes and quantized weights.
 */
export function weightByteLength(spec: TfjsWeightSpec): number {
  if (spec.quantization !== undefined || spec.dtype !== 'float32') {
    throw new ModelFormatError(
      'IMPORT_WEIGHTS',
      `weight ${spec.name} is ${spec.quantization !== undefined ? 'quantized' : spec.dtype}; only unquantized float32 weights are supported`,
    );
  }
  return spec.shape.reduce((a, b) => a * b, 1) * 4;
}
