import { describe, expect, it } from 'vitest';
import { StepError } from './cells.errors.js';
import { RecurrentModel } from './recurrent.model.js';
import { packKeyState, unpackKeyState } from './state.pack.js';
import { MIXED_ARCHITECTURE, randomDefinition, randomModel } from './testing/model.fixture.js';
import { seededRandom } from '@rnnflow/random';
import { randomFloats } from './testing/tfjs.fixture.js';

const KEYS = 16;
const STEPS = 20;

/** Steps KEYS keys for STEPS steps, feeding them in groups of the given sizes each step. */
function run(model: RecurrentModel, inputs: Float32Array, groups: number[]) {
  const I = model.inputSize;
  const S = model.stateLayout.floatsPerKey;
  const O = model.outputSize;
  const stepper = model.createStepper(KEYS);
  const states = model.createStates(KEYS);
  const outputs = new Float32Array(STEPS * KEYS * O);
  for (let t = 0; t < STEPS; t++) {
    let first = 0;
    for (const size of groups) {
      const stepInputs = inputs.subarray((t * KEYS + first) * I, (t * KEYS + first + size) * I);
      const stepStates = states.subarray(first * S, (first + size) * S);
      stepper.step(stepInputs, stepStates, size, outputs.subarray((t * KEYS + first) * O));
      first += size;
    }
  }
  return { states, outputs };
}

describe('BatchStepper', () => {
  const model = randomModel();
  const inputs = randomFloats(seededRandom(5), STEPS * KEYS * model.inputSize, 2);

  it('gives bit-identical results whether keys step together, alone or in uneven groups', () => {
    const together = run(model, inputs, [KEYS]);
    const alone = run(model, inputs, Array(KEYS).fill(1));
    const uneven = run(model, inputs, [2, 5, 1, 4, 3, 1]);
    for (const other of [alone, uneven]) {
      expect(Buffer.from(other.outputs.buffer).equals(Buffer.from(together.outputs.buffer))).toBe(
        true,
      );
      expect(Buffer.from(other.states.buffer).equals(Buffer.from(together.states.buffer))).toBe(
        true,
      );
    }
    expect(together.outputs.some((v) => v !== 0)).toBe(true);
  });

  it('declares the packed state layout: LSTM h, c then one h per GRU/SimpleRNN layer', () => {
    expect(model.stateLayout.vectors.map((v) => [v.layer, v.name, v.length, v.offset])).toEqual([
      [0, 'h', 6, 0],
      [0, 'c', 6, 6],
      [1, 'h', 5, 12],
      [2, 'h', 3, 17],
    ]);
    expect(model.stateLayout.floatsPerKey).toBe(20);
    expect([model.inputSize, model.outputSize]).toEqual([MIXED_ARCHITECTURE.inputSize, 2]);
  });

  it('packs and unpacks one key of a batch', () => {
    const states = model.createStates(3);
    const vectors = model.stateLayout.vectors.map((v) =>
      Float32Array.from({ length: v.length }, (_, i) => v.offset + i),
    );
    packKeyState(model.stateLayout, vectors, states, 1);
    expect(unpackKeyState(model.stateLayout, states, 1)).toEqual(vectors);
    expect(unpackKeyState(model.stateLayout, states, 0).every((v) => v.every((x) => x === 0))).toBe(
      true,
    );
    expect(() => packKeyState(model.stateLayout, vectors.slice(1), states, 0)).toThrow(StepError);
    expect(() => unpackKeyState(model.stateLayout, states, 3)).toThrow(/outside/);
  });

  it('refuses a batch larger than maxBatch or buffers too small, naming the buffer', () => {
    const stepper = model.createStepper(2);
    const I = model.inputSize;
    const S = model.stateLayout.floatsPerKey;
    const ok = {
      inputs: new Float32Array(2 * I),
      states: new Float32Array(2 * S),
      outputs: new Float32Array(4),
    };
    expect(() => stepper.step(ok.inputs, ok.states, 3, ok.outputs)).toThrow(
      expect.objectContaining({ code: 'STEP_BATCH_SIZE' }),
    );
    expect(() => stepper.step(ok.inputs, new Float32Array(S), 2, ok.outputs)).toThrow(
      /states holds/,
    );
    expect(() => stepper.step(ok.inputs, ok.states, 2, new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'STEP_BUFFER_SIZE' }),
    );
  });

  it('applies the input normalization before the first layer', () => {
    const definitionModel = RecurrentModel.create(randomDefinition());
    const I = definitionModel.inputSize;
    const x = Float32Array.from({ length: I }, (_, i) => i * 0.5);
    const outputs = new Float32Array(2);
    definitionModel.createStepper(1).step(x, definitionModel.createStates(1), 1, outputs);
    const { mean, std } = definitionModel.normalization!;
    const normalized = x.map((v, i) => (v - mean[i]) / std[i]);
    const plain = RecurrentModel.create({ ...randomDefinition(), normalization: null });
    const expected = new Float32Array(2);
    plain.createStepper(1).step(normalized, plain.createStates(1), 1, expected);
    expect(Array.from(outputs)).toEqual(Array.from(expected));
  });
});
