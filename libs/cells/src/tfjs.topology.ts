import type {
  CellActivation,
  DenseHeadSpec,
  HeadActivation,
  RecurrentLayerSpec,
} from './architecture.js';
import { ModelFormatError } from './cells.errors.js';

type Json = Record<string, unknown>;

/** A layer of a tfjs/Keras Sequential topology that carries weights, in order. */
export type TopologyLayer =
  | { readonly kind: 'recurrent'; readonly name: string; readonly spec: RecurrentLayerSpec }
  | { readonly kind: 'dense'; readonly name: string; readonly spec: DenseHeadSpec };

/** What a Sequential topology says: its weighted layers and the declared input size, if any. */
export interface ParsedTopology {
  readonly layers: readonly TopologyLayer[];
  readonly declaredInputSize: number | null;
  /** e.g. `tfjs-layers 4.22.0` or `3.6.0` (Keras). */
  readonly kerasVersion: string | null;
}

const ACTIVATIONS: Record<string, HeadActivation> = {
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  hardSigmoid: 'hardSigmoid',
  relu: 'relu',
  linear: 'linear',
  softmax: 'softmax',
};

/** Layers with no effect at inference, skipped. */
const IGNORED = new Set(['Dropout']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): ModelFormatError {
  return new ModelFormatError('IMPORT_INVALID_MODEL', message);
}

/** Reads `snake` (Keras, tfjs files) or `camel` (tfjs in memory). */
function field(config: Json, snake: string, camel: string): unknown {
  return config[snake] !== undefined ? config[snake] : config[camel];
}

class LayerReader {
  constructor(
    private readonly className: string,
    private readonly config: Json,
    private readonly kerasVersion: string | null,
  ) {}

  get name(): string {
    return typeof this.config.name === 'string' ? this.config.name : this.className;
  }

  private where(): string {
    return `layer '${this.name}' (${this.className})`;
  }

  units(): number {
    const units = this.config.units;
    if (!Number.isInteger(units) || (units as number) < 1) {
      throw invalid(
        `${this.where()}: units must be a positive integer, got ${JSON.stringify(units)}`,
      );
    }
    return units as number;
  }

  flag(snake: string, camel: string, fallback: boolean): boolean {
    const value = field(this.config, snake, camel);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw invalid(`${this.where()}: ${snake} must be a boolean`);
    return value;
  }

  activation(snake: string, camel: string, allowSoftmax = false): CellActivation & HeadActivation {
    const value = field(this.config, snake, camel);
    const activation = typeof value === 'string' ? ACTIVATIONS[value] : undefined;
    if (!activation || (activation === 'softmax' && !allowSoftmax)) {
      throw new ModelFormatError(
        'IMPORT_UNSUPPORTED_CONFIG',
        `${this.where()}: ${snake} ${JSON.stringify(value)} is not supported; use one of tanh, sigmoid, hard_sigmoid, relu, linear${allowSoftmax ? ', softmax' : ''}`,
      );
    }
    if (activation === 'hardSigmoid' && this.kerasVersion?.startsWith('3.')) {
      // Keras 3 redefined hard_sigmoid as relu6(x + 3) / 6; running it as tfjs's
      // clip(0.2x + 0.5) would silently change the model.
      throw new ModelFormatError(
        'IMPORT_UNSUPPORTED_CONFIG',
        `${this.where()}: Keras 3 hard_sigmoid (relu6(x+3)/6) differs from the tfjs definition; retrain with sigmoid`,
      );
    }
    return activation as CellActivation & HeadActivation;
  }

  refuseIf(snake: string, camel: string, why: string): void {
    if (this.flag(snake, camel, false)) {
      throw new ModelFormatError('IMPORT_UNSUPPORTED_CONFIG', `${this.where()}: ${snake} ${why}`);
    }
  }

  recurrent(): RecurrentLayerSpec {
    this.refuseIf('go_backwards', 'goBackwards', 'is not supported (events arrive forwards)');
    this.refuseIf('time_major', 'timeMajor', 'is not supported');
    const units = this.units();
    const useBias = this.flag('use_bias', 'useBias', true);
    const activation = this.activation('activation', 'activation');
    if (this.className === 'SimpleRNN') return { type: 'simpleRnn', units, activation, useBias };
    const recurrentActivation = this.activation('recurrent_activation', 'recurrentActivation');
    if (this.className === 'LSTM') {
      return { type: 'lstm', units, activation, recurrentActivation, useBias };
    }
    const resetAfter = this.flag('reset_after', 'resetAfter', false);
    return { type: 'gru', units, activation, recurrentActivation, resetAfter, useBias };
  }

  dense(): DenseHeadSpec {
    return {
      units: this.units(),
      activation: this.activation('activation', 'activation', true),
      useBias: this.flag('use_bias', 'useBias', true),
    };
  }

  /** Last dimension of a declared input shape, if this layer declares one. */
  declaredInputSize(): number | null {
    const shape =
      field(this.config, 'batch_input_shape', 'batchInputShape') ??
      field(this.config, 'batch_shape', 'batchShape');
    if (Array.isArray(shape) && Number.isInteger(shape[shape.length - 1])) {
      return shape[shape.length - 1] as number;
    }
    const inputShape = field(this.config, 'input_shape', 'inputShape');
    if (Array.isArray(inputShape) && Number.isInteger(inputShape[inputShape.length - 1])) {
      return inputShape[inputShape.length - 1] as number;
    }
    return null;
  }
}

function sequentialLayers(topology: unknown): { layers: unknown[]; kerasVersion: string | null } {
  if (!isObject(topology)) throw invalid('modelTopology must be an object');
  const kerasVersion = typeof topology.keras_version === 'string' ? topology.keras_version : null;
  // tensorflowjs_converter nests the Keras model config under model_config.
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  if (model.class_name !== 'Sequential') {
    throw new ModelFormatError(
      'IMPORT_UNSUPPORTED_LAYER',
      `model class ${JSON.stringify(model.class_name)} is not supported; only Sequential models are`,
    );
  }
  const config = model.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw invalid('Sequential config has no layers list');
  return { layers, kerasVersion };
}

function unsupported(name: string, className: string, why: string): ModelFormatError {
  return new ModelFormatError('IMPORT_UNSUPPORTED_LAYER', `layer '${name}' (${className}) ${why}`);
}

/**
 * Reads a Sequential topology: InputLayer, LSTM / GRU / SimpleRNN (stacked), Dropout (skipped)
 * and a final Dense or TimeDistributed(Dense).
 * @throws ModelFormatError `IMPORT_UNSUPPORTED_LAYER` naming any other layer,
 *   `IMPORT_UNSUPPORTED_CONFIG` for unsupported options, `IMPORT_INVALID_MODEL` for malformed JSON.
 */
export function parseSequentialTopology(topology: unknown): ParsedTopology {
  const { layers: raw, kerasVersion } = sequentialLayers(topology);
  const layers: TopologyLayer[] = [];
  let declaredInputSize: number | null = null;
  for (const entry of raw) {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw invalid('every layer needs a class_name and a config');
    }
    let className = entry.class_name;
    let reader = new LayerReader(className, entry.config, kerasVersion);
    if (layers.length === 0 && declaredInputSize === null) {
      declaredInputSize = reader.declaredInputSize();
    }
    if (className === 'TimeDistributed') {
      const inner = entry.config.layer;
      const innerClass = isObject(inner) ? String(inner.class_name) : 'unknown';
      if (!isObject(inner) || innerClass !== 'Dense' || !isObject(inner.config)) {
        throw unsupported(
          reader.name,
          `TimeDistributed(${innerClass})`,
          'is not supported; only TimeDistributed(Dense) is',
        );
      }
      className = 'Dense';
      reader = new LayerReader('TimeDistributed(Dense)', inner.config, kerasVersion);
    }
    if (className === 'InputLayer' || IGNORED.has(className)) continue;
    const hasHead = layers.some((l) => l.kind === 'dense');
    if (hasHead)
      throw unsupported(reader.name, className, 'follows the Dense head; the head must be last');
    if (className === 'LSTM' || className === 'GRU' || className === 'SimpleRNN') {
      layers.push({ kind: 'recurrent', name: reader.name, spec: reader.recurrent() });
    } else if (className === 'Dense') {
      if (layers.length === 0)
        throw unsupported(reader.name, className, 'comes before any recurrent layer');
      layers.push({ kind: 'dense', name: reader.name, spec: reader.dense() });
    } else {
      throw unsupported(
        reader.name,
        className,
        'is not supported; supported: InputLayer, LSTM, GRU, SimpleRNN, Dropout, Dense, TimeDistributed(Dense)',
      );
    }
  }
  if (layers.length === 0) throw invalid('the model has no recurrent layer');
  return { layers, declaredInputSize, kerasVersion };
}
