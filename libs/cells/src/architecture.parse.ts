import {
  CELL_ACTIVATIONS,
  HEAD_ACTIVATIONS,
  LAYER_TYPES,
  type CellActivation,
  type DenseHeadSpec,
  type HeadActivation,
  type ModelArchitecture,
  type RecurrentLayerSpec,
} from './architecture.js';
import { ArtefactError } from './cells.errors.js';

/** Largest stack this library steps. */
const MAX_LAYERS = 4;
/** Bounds on sizes, to refuse absurd artefacts before allocating for them. */
const MAX_UNITS = 4096;
const MAX_INPUT_SIZE = 65536;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function size(value: unknown, where: string, max: number): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw new ArtefactError(
      'ARTEFACT_INVALID',
      `${where} must be an integer in 1..${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value as number;
}

function flag(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ArtefactError('ARTEFACT_INVALID', `${where} must be true or false`);
  }
  return value;
}

function cellActivation(value: unknown, where: string): CellActivation {
  if (!(CELL_ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw new ArtefactError(
      'ARTEFACT_UNKNOWN_ACTIVATION',
      `${where} is ${JSON.stringify(value)}; supported: ${CELL_ACTIVATIONS.join(', ')}`,
    );
  }
  return value as CellActivation;
}

function headActivation(value: unknown, where: string): HeadActivation {
  if (!(HEAD_ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw new ArtefactError(
      'ARTEFACT_UNKNOWN_ACTIVATION',
      `${where} is ${JSON.stringify(value)}; supported: ${HEAD_ACTIVATIONS.join(', ')}`,
    );
  }
  return value as HeadActivation;
}

function layer(value: unknown, n: number): RecurrentLayerSpec {
  const where = `layers[${n}]`;
  if (!isObject(value)) throw new ArtefactError('ARTEFACT_INVALID', `${where} must be an object`);
  const units = size(value.units, `${where}.units`, MAX_UNITS);
  const useBias = flag(value.useBias, `${where}.useBias`);
  const activation = cellActivation(value.activation, `${where}.activation`);
  switch (value.type) {
    case 'lstm':
    case 'gru': {
      const recurrentActivation = cellActivation(
        value.recurrentActivation,
        `${where}.recurrentActivation`,
      );
      if (value.type === 'lstm') {
        return { type: 'lstm', units, activation, recurrentActivation, useBias };
      }
      const resetAfter = flag(value.resetAfter, `${where}.resetAfter`);
      return { type: 'gru', units, activation, recurrentActivation, resetAfter, useBias };
    }
    case 'simpleRnn':
      return { type: 'simpleRnn', units, activation, useBias };
    default:
      throw new ArtefactError(
        'ARTEFACT_UNKNOWN_LAYER',
        `${where}.type is ${JSON.stringify(value.type)}; supported: ${LAYER_TYPES.join(', ')}`,
      );
  }
}

function head(value: unknown): DenseHeadSpec | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value))
    throw new ArtefactError('ARTEFACT_INVALID', 'head must be an object or null');
  return {
    units: size(value.units, 'head.units', MAX_UNITS),
    activation: headActivation(value.activation, 'head.activation'),
    useBias: flag(value.useBias, 'head.useBias'),
  };
}

/**
 * Reads an architecture from untrusted JSON (an artefact header, a config handed over by the
 * trainer) and returns a clean copy.
 * @throws ArtefactError `ARTEFACT_UNKNOWN_LAYER`, `ARTEFACT_UNKNOWN_ACTIVATION` or
 *   `ARTEFACT_INVALID`, with a message naming the field.
 */
export function parseArchitecture(value: unknown): ModelArchitecture {
  if (!isObject(value))
    throw new ArtefactError('ARTEFACT_INVALID', 'architecture must be an object');
  const inputSize = size(value.inputSize, 'inputSize', MAX_INPUT_SIZE);
  if (!Array.isArray(value.layers) || value.layers.length < 1 || value.layers.length > MAX_LAYERS) {
    throw new ArtefactError(
      'ARTEFACT_INVALID',
      `layers must list 1..${MAX_LAYERS} recurrent layers, got ${Array.isArray(value.layers) ? value.layers.length : typeof value.layers}`,
    );
  }
  return { inputSize, layers: value.layers.map(layer), head: head(value.head) };
}
