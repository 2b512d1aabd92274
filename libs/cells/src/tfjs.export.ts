import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CellActivation, HeadActivation, RecurrentLayerSpec } from './architecture.js';
import { ModelFormatError } from './cells.errors.js';
import type { RecurrentModel } from './recurrent.model.js';
import { SHARD_FILE, type TfjsModelArtifacts, type TfjsModelJson } from './tfjs.format.js';

const CLASS_NAMES = { lstm: 'LSTM', gru: 'GRU', simpleRnn: 'SimpleRNN' } as const;
const LAYER_NAMES = { lstm: 'lstm', gru: 'gru', simpleRnn: 'simple_rnn' } as const;

/** Activation names as tfjs writes them in model.json (Python spelling). */
function pythonic(activation: CellActivation | HeadActivation): string {
  return activation === 'hardSigmoid' ? 'hard_sigmoid' : activation;
}

function recurrentConfig(spec: RecurrentLayerSpec, name: string, inputSize: number | null): object {
  if (spec.type === 'gru' && spec.resetAfter) {
    throw new ModelFormatError(
      'EXPORT_UNSUPPORTED',
      `layer '${name}' is a GRU with resetAfter: true, which tfjs-layers cannot load; keep it as an rnnflow artefact`,
    );
  }
  return {
    name,
    trainable: true,
    ...(inputSize === null ? {} : { batch_input_shape: [null, null, inputSize], dtype: 'float32' }),
    units: spec.units,
    activation: pythonic(spec.activation),
    ...(spec.type === 'simpleRnn'
      ? {}
      : { recurrent_activation: pythonic(spec.recurrentActivation) }),
    use_bias: spec.useBias,
    ...(spec.type === 'gru' ? { reset_after: false } : {}),
    dropout: 0,
    recurrent_dropout: 0,
    return_sequences: true,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
  };
}

/**
 * The model as tfjs-layers in-memory artifacts (what `tf.io.fromMemory` takes): a Sequential
 * topology returning sequences, float32 weights in one buffer, and rnnflow's normalization,
 * output names and metadata under `userDefinedMetadata.rnnflow` (read back by the importer).
 * @throws ModelFormatError `EXPORT_UNSUPPORTED` for a GRU with resetAfter (not in tfjs-layers).
 */
export function exportTfjsArtifacts(model: RecurrentModel): TfjsModelArtifacts {
  const { layers: specs, head } = model.architecture;
  const layers: object[] = [];
  const layerNames: string[] = [];
  specs.forEach((spec, n) => {
    const name = `${LAYER_NAMES[spec.type]}_${n + 1}`;
    layerNames.push(name);
    layers.push({
      class_name: CLASS_NAMES[spec.type],
      config: recurrentConfig(spec, name, n === 0 ? model.inputSize : null),
    });
  });
  if (head) {
    layerNames.push('dense_1');
    layers.push({
      class_name: 'Dense',
      config: {
        name: 'dense_1',
        trainable: true,
        units: head.units,
        activation: pythonic(head.activation),
        use_bias: head.useBias,
      },
    });
  }
  const weightSpecs = model.weights.map((w) => {
    const [scope, index, role] = w.name.split('/');
    const layerName =
      scope === 'head' ? layerNames[layerNames.length - 1] : layerNames[Number(index)];
    return {
      name: `${layerName}/${scope === 'head' ? index : role}`,
      shape: [...w.shape],
      dtype: 'float32',
    };
  });
  const total = model.weights.reduce((n, w) => n + w.values.length, 0);
  const weightData = new ArrayBuffer(total * 4);
  const view = new DataView(weightData);
  let offset = 0;
  for (const w of model.weights) {
    for (let k = 0; k < w.values.length; k++) view.setFloat32((offset + k) * 4, w.values[k], true);
    offset += w.values.length;
  }
  const config = model.getConfig();
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'rnnflow', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: '@rnnflow/cells',
    convertedBy: null,
    weightSpecs,
    weightData,
    userDefinedMetadata: {
      rnnflow: {
        normalization: config.normalization,
        outputNames: config.outputNames,
        metadata: config.metadata,
        fingerprint: config.fingerprint,
      },
    },
  };
}

/**
 * Writes the model as a tfjs-layers directory: `model.json` and one weight shard
 * (`group1-shard1of1.bin`), loadable with `tf.loadLayersModel('file://dir/model.json')`.
 */
export async function saveTfjsDirectory(model: RecurrentModel, dir: string): Promise<void> {
  const artifacts = exportTfjsArtifacts(model);
  const json: TfjsModelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [SHARD_FILE], weights: artifacts.weightSpecs }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, SHARD_FILE),
      new Uint8Array(artifacts.weightData as ArrayBuffer),
    );
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  } catch (cause) {
    throw new ModelFormatError('EXPORT_IO', `cannot write tfjs model to ${dir}`, { cause });
  }
}
