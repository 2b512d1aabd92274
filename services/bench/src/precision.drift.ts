import {
  kerasLayer,
  packKeyState,
  RecurrentModel,
  unpackKeyState,
  weightSlotsOf,
  type ModelArchitecture,
  type WeightTensor,
} from '@rnnflow/cells';
import { SeededRandom } from '@rnnflow/random';
import { createKeySignal } from '@rnnflow/simulator';
import { decodeState, encodeState, parseFingerprint, type StateRecord } from '@rnnflow/state';

/**
 * The accuracy price of float16 states: the same keys stepped twice through the same model, once
 * with their states kept in float32 and once with every state stored in float16 and read back
 * (through the state codec, as the predictor does between events), and their outputs compared.
 */

/** Where the inputs come from: the simulator's signals, or uniform [0, 1) as the golden tests feed. */
export type DriftInputs = 'simulator' | 'uniform';

export interface DriftCase {
  name: string;
  architecture: ModelArchitecture;
  /** Weights are drawn uniformly from ±weightScale. */
  weightScale: number;
  inputs: DriftInputs;
}

export interface DriftOptions {
  keys: number;
  steps: number;
  /** Seed of weights and inputs. */
  seed: number;
}

export interface DriftResult {
  name: string;
  inputs: DriftInputs;
  keys: number;
  steps: number;
  /** Largest |output float16 − output float32| over every key, step and output. */
  maxAbsDifference: number;
  meanAbsDifference: number;
  /** Mean |difference| in each tenth of the steps, first to last: flat if it does not grow. */
  meanByTenth: number[];
  /** Largest |output float32| seen, for scale. */
  maxAbsOutput: number;
}

const FEATURES = 4;
const FINGERPRINT = parseFingerprint('00000000000000f1');

const lstm = (units: number) => kerasLayer('lstm', units);
const gru = (units: number) => kerasLayer('gru', units);
const rnn = (units: number) => kerasLayer('simpleRnn', units);
const head = { units: 1, activation: 'linear', useBias: true } as const;

/**
 * The predictor's golden-test model (LSTM 8 → Dense, weights ±0.6), the cells' golden cases'
 * GRU and SimpleRNN stacks, and the benchmark's LSTM of 64 units, on both kinds of inputs.
 */
export const DRIFT_CASES: DriftCase[] = (['simulator', 'uniform'] as const).flatMap((inputs) => [
  {
    name: 'LSTM 8 + Dense (predictor golden)',
    architecture: { inputSize: FEATURES, layers: [lstm(8)], head },
    weightScale: 0.6,
    inputs,
  },
  {
    name: 'LSTM 64 + Dense',
    architecture: { inputSize: FEATURES, layers: [lstm(64)], head },
    weightScale: 0.2,
    inputs,
  },
  {
    name: 'GRU 7, 6 + Dense',
    architecture: { inputSize: FEATURES, layers: [gru(7), gru(6)], head },
    weightScale: 0.8,
    inputs,
  },
  {
    name: 'SimpleRNN 7 + Dense',
    architecture: { inputSize: FEATURES, layers: [rnn(7)], head },
    weightScale: 0.8,
    inputs,
  },
]);

function randomModel(driftCase: DriftCase, random: SeededRandom): RecurrentModel {
  const weights: WeightTensor[] = weightSlotsOf(driftCase.architecture).map((slot) => ({
    ...slot,
    values: Float32Array.from({ length: slot.shape.reduce((a, b) => a * b, 1) }, () =>
      random.between(-driftCase.weightScale, driftCase.weightScale),
    ),
  }));
  return RecurrentModel.create({ architecture: driftCase.architecture, weights });
}

/** One input row per key per step, `keys × FEATURES` floats per step. */
function inputSource(kind: DriftInputs, keys: number, seed: number): () => Float32Array {
  const row = new Float32Array(keys * FEATURES);
  if (kind === 'uniform') {
    const random = SeededRandom.forStream(seed, 1);
    return () => row.map(() => random.uniform());
  }
  const signals = Array.from({ length: keys }, (_, key) =>
    createKeySignal(
      {
        seed,
        features: FEATURES,
        kind: 'mixed',
        anomalyRate: 0.001,
        regimeShiftRate: 0.002,
        noise: 0.1,
      },
      key,
    ),
  );
  return () => {
    signals.forEach((signal, key) => row.set(signal.next().features, key * FEATURES));
    return row;
  };
}

/** Stores every key's state in float16 and reads it back, as a float16 deployment does. */
function throughFloat16(model: RecurrentModel, states: Float32Array, keys: number): void {
  const layout = model.stateLayout;
  const lengths = layout.vectors.map((vector) => vector.length);
  for (let key = 0; key < keys; key++) {
    const record: StateRecord = {
      modelVersion: 1,
      step: 1,
      offset: 0,
      updatedAtMs: 0,
      ended: false,
      vectors: unpackKeyState(layout, states, key),
    };
    const blob = encodeState(record, { fingerprint: FINGERPRINT, precision: 'float16' });
    const decoded = decodeState(blob, {
      fingerprint: FINGERPRINT,
      layout: lengths,
      precision: 'float16',
    });
    if (!decoded.ok) throw new Error(`float16 round trip failed: ${decoded.message}`);
    packKeyState(layout, decoded.record.vectors, states, key);
  }
}

export function measureDrift(driftCase: DriftCase, options: DriftOptions): DriftResult {
  const { keys, steps, seed } = options;
  const model = randomModel(driftCase, SeededRandom.forStream(seed, 0));
  const stepper = model.createStepper(keys);
  const exact = model.createStates(keys);
  const half = model.createStates(keys);
  const exactOut = new Float32Array(keys * model.outputSize);
  const halfOut = new Float32Array(keys * model.outputSize);
  const next = inputSource(driftCase.inputs, keys, seed);
  const tenth = Math.max(1, Math.floor(steps / 10));
  const sums = new Array<number>(Math.ceil(steps / tenth)).fill(0);
  const counts = new Array<number>(sums.length).fill(0);
  let max = 0;
  let total = 0;
  let maxAbsOutput = 0;
  for (let step = 0; step < steps; step++) {
    const inputs = next();
    stepper.step(inputs, exact, keys, exactOut);
    stepper.step(inputs, half, keys, halfOut);
    throughFloat16(model, half, keys);
    const bucket = Math.floor(step / tenth);
    for (let k = 0; k < exactOut.length; k++) {
      const difference = Math.abs(halfOut[k] - exactOut[k]);
      max = Math.max(max, difference);
      total += difference;
      sums[bucket] += difference;
      counts[bucket] += 1;
      maxAbsOutput = Math.max(maxAbsOutput, Math.abs(exactOut[k]));
    }
  }
  return {
    name: driftCase.name,
    inputs: driftCase.inputs,
    keys,
    steps,
    maxAbsDifference: max,
    meanAbsDifference: total / (steps * exactOut.length),
    meanByTenth: sums.map((sum, i) => sum / counts[i]),
    maxAbsOutput,
  };
}
