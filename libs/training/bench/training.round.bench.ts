/**
 * Times training rounds on a synthetic seasonal multi-key stream (sine per key, phase per key,
 * noise), from scratch then fine-tuned, and prints a table and JSON. Backend: the one
 * initTrainingBackend selects, or the one named as first argument (wasm | cpu) to compare.
 *
 *   npx tsx libs/training/bench/training.round.bench.ts [backend] [keys] [eventsPerKey]
 */
import * as tf from '@tensorflow/tfjs';
import {
  EventBuffer,
  initTrainingBackend,
  runTrainingRound,
  type RoundOptions,
} from '../src/index.js';

const [backendName, keys = '200', eventsPerKey = '256'] = process.argv.slice(2);
const selected = await initTrainingBackend();
if (backendName && backendName !== selected.name) await tf.setBackend(backendName);

const buffer = new EventBuffer({
  inputSize: 1,
  targetSize: 1,
  maxEventsPerKey: Number(eventsPerKey),
  maxKeys: Number(keys),
});
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
for (let k = 0; k < Number(keys); k++) {
  const phase = random() * 2 * Math.PI;
  for (let t = 0; t < Number(eventsPerKey); t++) {
    buffer.add(
      `key-${k}`,
      [Math.sin((2 * Math.PI * t) / 24 + phase) + (random() - 0.5) * 0.2],
      undefined,
      t * 60_000,
    );
  }
}

const options: RoundOptions = {
  architecture: {
    inputSize: 1,
    layers: [
      {
        type: 'lstm',
        units: 32,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        useBias: true,
      },
    ],
    head: { units: 1, activation: 'linear', useBias: true },
  },
  windows: { length: 32, forecastFeatures: [0] },
  heldOut: { by: 'time', fraction: 0.15 },
  training: {
    epochs: 5,
    batchSize: 64,
    learningRate: 0.01,
    clipNorm: 1,
    seed: 1,
    earlyStopping: { patience: 2, minDelta: 1e-4 },
  },
  margin: 0.02,
};

const rows = [];
const scratch = await runTrainingRound(buffer, null, options);
const fineTuned = await runTrainingRound(buffer, scratch.challenger, options);
for (const [name, round] of [
  ['scratch', scratch],
  ['fine-tune', fineTuned],
] as const) {
  rows.push({
    round: name,
    backend: tf.getBackend(),
    windows: round.windows.train,
    steps: round.training.steps,
    seconds: Number(round.training.seconds.toFixed(1)),
    msPerStep: Number(((round.training.seconds * 1000) / round.training.steps).toFixed(1)),
    championMse:
      round.comparison.championLoss === null
        ? null
        : Number(round.comparison.championLoss.toFixed(4)),
    challengerMse: Number(round.comparison.challengerLoss.toFixed(4)),
    accept: round.comparison.accept,
  });
}
console.table(rows);
console.log(JSON.stringify(rows));
