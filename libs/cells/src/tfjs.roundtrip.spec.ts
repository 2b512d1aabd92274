import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentModel } from './recurrent.model.js';
import { exportTfjsArtifacts, saveTfjsDirectory } from './tfjs.export.js';
import type { TfjsModelArtifacts, TfjsModelJson } from './tfjs.format.js';
import { loadTfjsDirectory } from './tfjs.directory.js';
import { importTfjsArtifacts } from './tfjs.import.js';
import { randomDefinition } from './testing/model.fixture.js';
import { seededRandom } from '@rnnflow/random';
import {
  buildTfjsModel,
  maxAbsDifference,
  predictSequences,
  randomFloats,
  saveToMemory,
  stepSequences,
} from './testing/tfjs.fixture.js';

const SHAPE = { keys: 6, steps: 12, inputSize: 3 };

function reference() {
  return buildTfjsModel({
    inputSize: SHAPE.inputSize,
    layers: [
      { cell: 'lstm', units: 5, activation: 'tanh', recurrentActivation: 'hardSigmoid' },
      { cell: 'gru', units: 4, activation: 'tanh', recurrentActivation: 'sigmoid' },
      { cell: 'simpleRnn', units: 3, activation: 'tanh', useBias: false },
    ],
    head: { units: 2, activation: 'softmax' },
    weightScale: 0.7,
    seed: 11,
  });
}

/** Writes artifacts the way tfjs `model.save('file://dir')` does: model.json + one shard. */
async function writeTfjsDirectory(dir: string, artifacts: TfjsModelArtifacts): Promise<void> {
  const json: TfjsModelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(
    path.join(dir, 'weights.bin'),
    new Uint8Array(artifacts.weightData as ArrayBuffer),
  );
}

describe('tfjs-layers import and export', () => {
  let dir: string;
  const sequences = randomFloats(seededRandom(4), SHAPE.keys * SHAPE.steps * SHAPE.inputSize, 1);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(path.join(tmpdir(), 'rnnflow-cells-tfjs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('import → export → tfjs predict is unchanged (in memory)', async () => {
    const original = reference();
    const expected = predictSequences(original, sequences, SHAPE);
    const exported = exportTfjsArtifacts(importTfjsArtifacts(await saveToMemory(original)));
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(exported as tf.io.ModelArtifacts));
    expect(maxAbsDifference(predictSequences(reloaded, sequences, SHAPE), expected)).toBe(0);
    original.dispose();
    reloaded.dispose();
  });

  it('loads a tfjs model directory and writes one tfjs loads back', async () => {
    const original = reference();
    const source = path.join(dir, 'source');
    await mkdir(source);
    await writeTfjsDirectory(source, await saveToMemory(original));
    const model = await loadTfjsDirectory(source);
    const expected = predictSequences(original, sequences, SHAPE);
    expect(maxAbsDifference(stepSequences(model, sequences, SHAPE), expected)).toBeLessThan(1e-5);

    const target = path.join(dir, 'exported');
    await saveTfjsDirectory(model, target);
    const json = JSON.parse(
      await readFile(path.join(target, 'model.json'), 'utf8'),
    ) as TfjsModelJson;
    expect(json.format).toBe('layers-model');
    const shard = await readFile(path.join(target, json.weightsManifest[0].paths[0]));
    const reloaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
        weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
      }),
    );
    expect(maxAbsDifference(predictSequences(reloaded, sequences, SHAPE), expected)).toBe(0);
    original.dispose();
    reloaded.dispose();
  });

  it('keeps normalization, output names and metadata across export and import', async () => {
    const model = RecurrentModel.create(randomDefinition());
    const noResetAfter = RecurrentModel.create({
      ...randomDefinition({
        ...model.architecture,
        layers: model.architecture.layers.map((l) =>
          l.type === 'gru' ? { ...l, resetAfter: false } : l,
        ),
      }),
    });
    const target = path.join(dir, 'with-metadata');
    await saveTfjsDirectory(noResetAfter, target);
    const back = await loadTfjsDirectory(path.join(target, 'model.json'));
    expect(back.normalization).toEqual(noResetAfter.normalization);
    expect(back.outputNames).toEqual(['up', 'down']);
    expect(back.metadata).toMatchObject({
      trainedOn: '2026-11-27',
      importedFrom: { format: 'tfjs-layers' },
    });
    expect(back.fingerprint).toBe(noResetAfter.fingerprint);
  });

  it('refuses to export a GRU with resetAfter, which tfjs-layers cannot load', () => {
    expect(() => exportTfjsArtifacts(RecurrentModel.create(randomDefinition()))).toThrow(
      expect.objectContaining({
        code: 'EXPORT_UNSUPPORTED',
        message: expect.stringMatching(/resetAfter/),
      }),
    );
  });
});
