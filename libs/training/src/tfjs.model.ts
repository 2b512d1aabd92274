import {
  decodeModel,
  encodeModel,
  importTfjsArtifacts,
  RecurrentModel,
  type InputNormalization,
  type ModelArchitecture,
  type RecurrentLayerSpec,
  type TfjsModelArtifacts,
} from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';
import { initializeRecurrentWeights } from './recurrent.init.js';
import { TrainingError } from './training.errors.js';

/** A tfjs network being trained, with what the served model needs besides its weights. */
export interface TrainableModel {
  /** Sequential: recurrent layers returning sequences, then TimeDistributed(Dense) if any head. */
  readonly network: tf.Sequential;
  readonly architecture: ModelArchitecture;
  /** Applied to raw inputs before the network (by train/evaluate here, by the stepper when served). */
  readonly normalization: InputNormalization | null;
}

type ActivationName = Parameters<typeof tf.layers.dense>[0]['activation'];

function checkTrainable(architecture: ModelArchitecture): void {
  if (architecture.layers.length === 0) {
    throw new TrainingError(
      'TRAINING_UNSUPPORTED_ARCHITECTURE',
      'the architecture has no recurrent layer',
    );
  }
  architecture.layers.forEach((layer, n) => {
    if (layer.type === 'gru' && layer.resetAfter) {
      throw new TrainingError(
        'TRAINING_UNSUPPORTED_ARCHITECTURE',
        `layer ${n} is a GRU with resetAfter: true, which tfjs cannot train (it only implements resetAfter: false); use resetAfter: false, or train it in Keras and import it`,
      );
    }
  });
}

function recurrentLayer(
  spec: RecurrentLayerSpec,
  seed: number,
  inputSize?: number,
): tf.layers.Layer {
  const common = {
    units: spec.units,
    activation: spec.activation as ActivationName,
    useBias: spec.useBias,
    returnSequences: true,
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    // Replaced after the build: see initializeRecurrentWeights.
    recurrentInitializer: 'zeros',
    // Variable-length sequences: the predictor steps one event at a time.
    ...(inputSize === undefined ? {} : { inputShape: [null as unknown as number, inputSize] }),
  };
  switch (spec.type) {
    case 'simpleRnn':
      return tf.layers.simpleRNN(common);
    case 'lstm':
      return tf.layers.lstm({
        ...common,
        recurrentActivation: spec.recurrentActivation as ActivationName,
      });
    case 'gru':
      return tf.layers.gru({
        ...common,
        recurrentActivation: spec.recurrentActivation as ActivationName,
        resetAfter: false,
      } as Parameters<typeof tf.layers.gru>[0]);
  }
}

/**
 * A tfjs Sequential model computing exactly what {@link RecurrentModel} steps: the recurrent
 * layers with `returnSequences: true`, then a TimeDistributed(Dense) head when the architecture
 * has one. Weights are random (Glorot-uniform kernels, orthogonal recurrent kernels, zero biases,
 * LSTM forget bias 1), reproducible with `seed`.
 * @throws TrainingError `TRAINING_UNSUPPORTED_ARCHITECTURE` for GRU `resetAfter: true`.
 */
export function buildTfjsModel(
  architecture: ModelArchitecture,
  options: { seed?: number } = {},
): tf.Sequential {
  checkTrainable(architecture);
  const seed = options.seed ?? 0;
  const network = tf.sequential();
  architecture.layers.forEach((spec, n) => {
    const layer = recurrentLayer(spec, seed + 2 * n, n === 0 ? architecture.inputSize : undefined);
    network.add(layer);
    initializeRecurrentWeights(layer, spec, seed + 2 * n + 1);
  });
  const head = architecture.head;
  if (head) {
    const dense = tf.layers.dense({
      units: head.units,
      activation: head.activation as ActivationName,
      useBias: head.useBias,
      kernelInitializer: tf.initializers.glorotUniform({
        seed: seed + 2 * architecture.layers.length,
      }),
    });
    network.add(tf.layers.timeDistributed({ layer: dense }));
  }
  return network;
}

/** Copies a served model's weights into a network of the same architecture (fine-tuning). */
function loadWeights(network: tf.Sequential, model: RecurrentModel): void {
  const targets = network.getWeights();
  const mismatch = model.weights.findIndex(
    (w, i) => !targets[i] || targets[i].shape.join() !== w.shape.join(),
  );
  if (mismatch >= 0 || targets.length !== model.weights.length) {
    throw new TrainingError(
      'TRAINING_SHAPE_MISMATCH',
      `the model's weights do not fit the tfjs network (weight ${mismatch >= 0 ? model.weights[mismatch].name : 'count'})`,
    );
  }
  // The model's canonical weight order is the tfjs Sequential order (kernel, recurrent, bias…).
  const tensors = model.weights.map((w) => tf.tensor(w.values, [...w.shape]));
  network.setWeights(tensors);
  tf.dispose(tensors);
}

/** Where a challenger starts: from scratch, or from the active model's weights. */
export type TrainableModelSource =
  | {
      readonly architecture: ModelArchitecture;
      readonly seed?: number;
      readonly normalization?: InputNormalization | null;
    }
  /** The active model, or its artefact bytes (cells `encodeModel` format). */
  | { readonly from: RecurrentModel | Uint8Array };

/**
 * A network to train: random weights for an architecture, or a fine-tune of `from` (same
 * architecture, weights and normalization). Dispose it with `network.dispose()`.
 * @throws ArtefactError for corrupt artefact bytes; TrainingError
 *   `TRAINING_UNSUPPORTED_ARCHITECTURE` for a champion tfjs cannot train (GRU resetAfter).
 */
export function createTrainableModel(source: TrainableModelSource): TrainableModel {
  if ('from' in source) {
    const champion = source.from instanceof Uint8Array ? decodeModel(source.from) : source.from;
    const network = buildTfjsModel(champion.architecture);
    try {
      loadWeights(network, champion);
    } catch (error) {
      network.dispose();
      throw error;
    }
    return { network, architecture: champion.architecture, normalization: champion.normalization };
  }
  return {
    network: buildTfjsModel(source.architecture, { seed: source.seed }),
    architecture: source.architecture,
    normalization: source.normalization ?? null,
  };
}

/** The network as in-memory tfjs artifacts (what `tf.io.withSaveHandler` receives). */
async function toTfjsArtifacts(network: tf.LayersModel): Promise<TfjsModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved as unknown as TfjsModelArtifacts;
}

/**
 * The trained network as the model the predictor serves, through the cells importer, so what is
 * served is exactly what was trained (same topology, weights and normalization).
 */
export async function toRecurrentModel(
  model: TrainableModel,
  options: { metadata?: Readonly<Record<string, unknown>>; outputNames?: readonly string[] } = {},
): Promise<RecurrentModel> {
  return importTfjsArtifacts(await toTfjsArtifacts(model.network), {
    normalization: model.normalization,
    outputNames: options.outputNames,
    metadata: options.metadata,
  });
}

/** The trained network as artefact bytes for the registry (cells `encodeModel` format). */
export async function toArtefactBytes(
  model: TrainableModel,
  options: { metadata?: Readonly<Record<string, unknown>>; outputNames?: readonly string[] } = {},
): Promise<Uint8Array> {
  return encodeModel(await toRecurrentModel(model, options));
}
