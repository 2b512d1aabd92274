import type { ModelArchitecture } from './architecture.js';
import { decodeContainer, encodeContainer } from './artefact.container.js';
import { ArtefactError } from './cells.errors.js';
import { RecurrentModel } from './recurrent.model.js';
import type { WeightTensor } from './weights.js';

/** Value of the header's `format` field. */
const HEADER_FORMAT = 'rnnflow-model';

/** Where a weight sits in the weights section. */
interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset in floats from the start of the weights section. */
  readonly offset: number;
}

/** The JSON header of an artefact. */
interface ArtefactHeader {
  readonly format: typeof HEADER_FORMAT;
  readonly architecture: ModelArchitecture;
  readonly fingerprint: string;
  readonly normalization: { readonly mean: number[]; readonly std: number[] } | null;
  readonly outputNames: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly weights: readonly WeightEntry[];
}

/** Serializes a model to artefact bytes (see artefact.container.ts for the layout). */
export function encodeModel(model: RecurrentModel): Uint8Array {
  const total = model.weights.reduce((n, w) => n + w.values.length, 0);
  const weights = new Uint8Array(total * 4);
  const view = new DataView(weights.buffer);
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const w of model.weights) {
    entries.push({ name: w.name, shape: [...w.shape], offset });
    for (let k = 0; k < w.values.length; k++) view.setFloat32((offset + k) * 4, w.values[k], true);
    offset += w.values.length;
  }
  const config = model.getConfig();
  const header: ArtefactHeader = {
    format: HEADER_FORMAT,
    architecture: config.architecture,
    fingerprint: config.fingerprint,
    normalization: config.normalization,
    outputNames: config.outputNames,
    metadata: config.metadata,
    weights: entries,
  };
  return encodeContainer(header, weights);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readWeights(entries: unknown, section: Uint8Array): WeightTensor[] {
  if (!Array.isArray(entries))
    throw new ArtefactError('ARTEFACT_HEADER', 'header.weights must be a list');
  const floats = section.length / 4;
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  return entries.map((entry: unknown, i) => {
    const ok =
      isObject(entry) &&
      typeof entry.name === 'string' &&
      Array.isArray(entry.shape) &&
      entry.shape.every((d) => Number.isInteger(d) && d >= 0) &&
      Number.isInteger(entry.offset);
    if (!ok)
      throw new ArtefactError(
        'ARTEFACT_HEADER',
        `header.weights[${i}] needs a name, a shape and an offset`,
      );
    const { name, shape, offset } = entry as unknown as WeightEntry;
    const count = shape.reduce((a, b) => a * b, 1);
    if (offset < 0 || offset + count > floats) {
      throw new ArtefactError(
        'ARTEFACT_SHAPE',
        `weight ${name} [${shape.join(', ')}] at float ${offset} runs past the ${floats}-float weights section`,
      );
    }
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++) values[k] = view.getFloat32((offset + k) * 4, true);
    return { name, shape: [...shape], values };
  });
}

function readNormalization(value: unknown): { mean: Float32Array; std: Float32Array } | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || !Array.isArray(value.mean) || !Array.isArray(value.std)) {
    throw new ArtefactError(
      'ARTEFACT_HEADER',
      'header.normalization must be null or {mean: [...], std: [...]}',
    );
  }
  const floats = (list: unknown[], name: string): Float32Array => {
    // JSON cannot carry NaN/Infinity: a null here is a non-finite value written by a bad writer.
    if (!list.every((v) => typeof v === 'number')) {
      throw new ArtefactError('ARTEFACT_NOT_FINITE', `normalization ${name} holds a non-number`);
    }
    return Float32Array.from(list as number[]);
  };
  return { mean: floats(value.mean, 'mean'), std: floats(value.std, 'std') };
}

/**
 * Reads a model from artefact bytes, checking integrity (length, checksum) and then the model
 * itself (architecture, shapes, finite values, fingerprint).
 * @throws ArtefactError whose code names the problem (see ArtefactError).
 */
export function decodeModel(bytes: Uint8Array): RecurrentModel {
  const { header, weights } = decodeContainer(bytes);
  if (!isObject(header) || header.format !== HEADER_FORMAT) {
    throw new ArtefactError(
      'ARTEFACT_HEADER',
      `artefact header must have format "${HEADER_FORMAT}"`,
    );
  }
  if (
    header.outputNames !== undefined &&
    !(Array.isArray(header.outputNames) && header.outputNames.every((n) => typeof n === 'string'))
  ) {
    throw new ArtefactError('ARTEFACT_HEADER', 'header.outputNames must be a list of strings');
  }
  const model = RecurrentModel.create({
    architecture: header.architecture as ModelArchitecture,
    weights: readWeights(header.weights, weights),
    normalization: readNormalization(header.normalization),
    outputNames: header.outputNames as string[] | undefined,
    metadata: isObject(header.metadata) ? header.metadata : {},
  });
  if (header.fingerprint !== model.fingerprint) {
    throw new ArtefactError(
      'ARTEFACT_FINGERPRINT',
      `artefact records fingerprint ${String(header.fingerprint)} but its architecture hashes to ${model.fingerprint}`,
    );
  }
  return model;
}
