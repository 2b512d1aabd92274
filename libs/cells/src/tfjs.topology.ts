import { z } from 'zod';
import type {
  CellActivation,
  DenseHeadSpec,
  HeadActivation,
  RecurrentLayerSpec,
} from './architecture.js';
import { ModelFormatError } from './cells.errors.js';

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

const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN']);
/** Layers with no weights, or no effect at inference: skipped. */
const SKIPPED = new Set(['InputLayer', 'Dropout']);

const jsonObject = z.record(z.string(), z.unknown());
const ignoredIfMalformed = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const shape = ignoredIfMalformed(z.array(z.unknown()));

const topologySchema = z.object(
  {
    keras_version: ignoredIfMalformed(z.string()),
    // tensorflowjs_converter nests the Keras model config under model_config.
    model_config: ignoredIfMalformed(jsonObject),
    class_name: z.unknown().optional(),
    config: z.unknown().optional(),
  },
  { error: 'modelTopology must be an object' },
);

const layersSchema = z.union(
  [z.array(z.unknown()), z.object({ layers: z.array(z.unknown()) }).transform((c) => c.layers)],
  { error: 'Sequential config has no layers list' },
);

const layerEntrySchema = z.object(
  { class_name: z.string(), config: jsonObject },
  { error: 'every layer needs a class_name and a config' },
);

const positiveInteger = (issue: { input: unknown }) =>
  `must be a positive integer, got ${JSON.stringify(issue.input)}`;
/** Absent or null: the Keras default applies. */
const flag = z.boolean({ error: 'must be a boolean' }).nullish();

/**
 * A weighted layer's config, keys in snake_case (see {@link snakeCaseKeys}); activations are
 * looked up by {@link activationOf}, whose refusals name the supported ones.
 */
const layerConfigSchema = z.object({
  go_backwards: flag,
  time_major: flag,
  units: z.int({ error: positiveInteger }).min(1, { error: positiveInteger }),
  use_bias: flag,
  reset_after: flag,
});

/** One layer of the list: `where` names it in messages. */
interface Layer {
  readonly name: string;
  readonly where: string;
  /** Snake_case keys. */
  readonly config: Record<string, unknown>;
}

function invalid(message: string): ModelFormatError {
  return new ModelFormatError('IMPORT_INVALID_MODEL', message);
}

function unsupported(where: string, why: string): ModelFormatError {
  return new ModelFormatError('IMPORT_UNSUPPORTED_LAYER', `${where} ${why}`);
}

function unsupportedConfig(layer: Layer, why: string): ModelFormatError {
  return new ModelFormatError('IMPORT_UNSUPPORTED_CONFIG', `${layer.where}: ${why}`);
}

/**
 * Keras and tfjs files write config fields in snake_case, tfjs in memory in camelCase: both
 * become snake_case, a snake_case value winning when a config holds both.
 */
function snakeCaseKeys(config: Record<string, unknown>): Record<string, unknown> {
  const snake: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (name === key || config[name] === undefined) snake[name] = value;
  }
  return snake;
}

function layerOf(className: string, config: Record<string, unknown>): Layer {
  const name = typeof config.name === 'string' ? config.name : className;
  return { name, where: `layer '${name}' (${className})`, config: snakeCaseKeys(config) };
}

function configOf(layer: Layer): z.infer<typeof layerConfigSchema> {
  const parsed = layerConfigSchema.safeParse(layer.config);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw invalid(`${layer.where}: ${issue.path.join('.')} ${issue.message}`);
}

function activationOf(
  layer: Layer,
  field: 'activation' | 'recurrent_activation',
  kerasVersion: string | null,
  allowSoftmax = false,
): CellActivation & HeadActivation {
  const value = layer.config[field];
  const activation = typeof value === 'string' ? ACTIVATIONS[value] : undefined;
  if (!activation || (activation === 'softmax' && !allowSoftmax)) {
    throw unsupportedConfig(
      layer,
      `${field} ${JSON.stringify(value)} is not supported; use one of tanh, sigmoid, hard_sigmoid, relu, linear${allowSoftmax ? ', softmax' : ''}`,
    );
  }
  if (activation === 'hardSigmoid' && kerasVersion?.startsWith('3.')) {
    // Keras 3 redefined hard_sigmoid as relu6(x + 3) / 6; running it as tfjs's
    // clip(0.2x + 0.5) would silently change the model.
    throw unsupportedConfig(
      layer,
      'Keras 3 hard_sigmoid (relu6(x+3)/6) differs from the tfjs definition; retrain with sigmoid',
    );
  }
  return activation as CellActivation & HeadActivation;
}

function recurrentSpec(
  className: string,
  layer: Layer,
  kerasVersion: string | null,
): RecurrentLayerSpec {
  const config = configOf(layer);
  if (config.go_backwards) {
    throw unsupportedConfig(layer, 'go_backwards is not supported (events arrive forwards)');
  }
  if (config.time_major) throw unsupportedConfig(layer, 'time_major is not supported');
  const { units } = config;
  const useBias = config.use_bias ?? true;
  const activation = activationOf(layer, 'activation', kerasVersion);
  if (className === 'SimpleRNN') return { type: 'simpleRnn', units, activation, useBias };
  const recurrentActivation = activationOf(layer, 'recurrent_activation', kerasVersion);
  if (className === 'LSTM')
    return { type: 'lstm', units, activation, recurrentActivation, useBias };
  const resetAfter = config.reset_after ?? false;
  return { type: 'gru', units, activation, recurrentActivation, resetAfter, useBias };
}

function denseSpec(layer: Layer, kerasVersion: string | null): DenseHeadSpec {
  const config = configOf(layer);
  const activation = activationOf(layer, 'activation', kerasVersion, true);
  return { units: config.units, activation, useBias: config.use_bias ?? true };
}

/** Last dimension of a declared input shape, if the layer declares one. */
function declaredInputSize(layer: Layer): number | null {
  const { batch_input_shape, batch_shape, input_shape } = layer.config;
  const batchShape = shape.parse(batch_input_shape) ?? shape.parse(batch_shape);
  for (const dimensions of [batchShape, shape.parse(input_shape)]) {
    const last = dimensions?.at(-1);
    if (Number.isInteger(last)) return last as number;
  }
  return null;
}

/** The Dense a TimeDistributed layer wraps; any other wrapped layer is refused. */
function unwrapped(wrapper: Layer): Layer {
  const inner = layerEntrySchema.safeParse(wrapper.config.layer);
  if (inner.success && inner.data.class_name === 'Dense') {
    return layerOf('TimeDistributed(Dense)', inner.data.config);
  }
  const innerObject = jsonObject.safeParse(wrapper.config.layer);
  const innerClass = innerObject.success ? String(innerObject.data.class_name) : 'unknown';
  throw unsupported(
    `layer '${wrapper.name}' (TimeDistributed(${innerClass}))`,
    'is not supported; only TimeDistributed(Dense) is',
  );
}

/**
 * Reads a Sequential topology: InputLayer, LSTM / GRU / SimpleRNN (stacked), Dropout (skipped)
 * and a final Dense or TimeDistributed(Dense).
 * @throws ModelFormatError `IMPORT_UNSUPPORTED_LAYER` naming any other layer,
 *   `IMPORT_UNSUPPORTED_CONFIG` for unsupported options, `IMPORT_INVALID_MODEL` for malformed JSON.
 */
export function parseSequentialTopology(topology: unknown): ParsedTopology {
  const parsed = topologySchema.safeParse(topology);
  if (!parsed.success) throw invalid(parsed.error.issues[0].message);
  const kerasVersion = parsed.data.keras_version ?? null;
  const model = parsed.data.model_config ?? parsed.data;
  if (model.class_name !== 'Sequential') {
    throw new ModelFormatError(
      'IMPORT_UNSUPPORTED_LAYER',
      `model class ${JSON.stringify(model.class_name)} is not supported; only Sequential models are`,
    );
  }
  const list = layersSchema.safeParse(model.config);
  if (!list.success) throw invalid(list.error.issues[0].message);

  const layers: TopologyLayer[] = [];
  let inputSize: number | null = null;
  for (const item of list.data) {
    const entry = layerEntrySchema.safeParse(item);
    if (!entry.success) throw invalid(entry.error.issues[0].message);
    let className = entry.data.class_name;
    let layer = layerOf(className, entry.data.config);
    if (layers.length === 0 && inputSize === null) inputSize = declaredInputSize(layer);
    if (className === 'TimeDistributed') {
      className = 'Dense';
      layer = unwrapped(layer);
    }
    if (SKIPPED.has(className)) continue;
    const where = `layer '${layer.name}' (${className})`;
    if (layers.some((l) => l.kind === 'dense')) {
      throw unsupported(where, 'follows the Dense head; the head must be last');
    }
    if (RECURRENT.has(className)) {
      const spec = recurrentSpec(className, layer, kerasVersion);
      layers.push({ kind: 'recurrent', name: layer.name, spec });
    } else if (className === 'Dense') {
      if (layers.length === 0) throw unsupported(where, 'comes before any recurrent layer');
      layers.push({ kind: 'dense', name: layer.name, spec: denseSpec(layer, kerasVersion) });
    } else {
      throw unsupported(
        where,
        'is not supported; supported: InputLayer, LSTM, GRU, SimpleRNN, Dropout, Dense, TimeDistributed(Dense)',
      );
    }
  }
  if (layers.length === 0) throw invalid('the model has no recurrent layer');
  return { layers, declaredInputSize: inputSize, kerasVersion };
}
