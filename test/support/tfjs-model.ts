import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

// Test models are built synchronously when a test file is collected. Importing the trainer's
// settings registers tfjs' wasm backend, which would rank first but initialises asynchronously:
// these small reference models run on the plain CPU backend instead.
await tf.setBackend('cpu');

/** A small seeded tfjs LSTM → Dense model returning sequences, as users train one. */
export function buildLstmModel(options: {
  inputSize: number;
  units: number;
  outputs: number;
  seed: number;
}): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: options.units,
      returnSequences: true,
      inputShape: [null as unknown as number, options.inputSize],
    }),
  );
  model.add(tf.layers.dense({ units: options.outputs }));
  let state = options.seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  model.setWeights(
    model.getWeights().map((weight) =>
      tf.tensor(
        Float32Array.from({ length: weight.size }, () => (random() * 2 - 1) * 0.6),
        weight.shape,
      ),
    ),
  );
  return model;
}

/**
 * Writes what `model.save('file://dir')` writes (tfjs-node is not installable here, and its file
 * handler is the only difference): model.json with topology and weights manifest, one shard.
 */
export async function saveModelDirectory(model: tf.LayersModel, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const shard = 'group1-shard1of1.bin';
      await writeFile(join(directory, shard), Buffer.from(artifacts.weightData as ArrayBuffer));
      await writeFile(
        join(directory, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [shard], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** tfjs `predict` of one key's whole sequence: `[steps][outputs]`. */
export function predictSequence(model: tf.LayersModel, sequence: number[][]): number[][] {
  return tf.tidy(
    () => (model.predict(tf.tensor3d([sequence])) as tf.Tensor).arraySync() as number[][][],
  )[0];
}
