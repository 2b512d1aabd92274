import { describe, expect, it } from 'vitest';
import { ArtefactError, ModelFormatError } from './cells.errors.js';
import type { TfjsModelArtifacts, TfjsWeightSpec } from './tfjs.format.js';
import { loadTfjsDirectory } from './tfjs.directory.js';
import { importTfjsArtifacts } from './tfjs.import.js';

type Layer = { class_name: string; config: Record<string, unknown> };

const I = 3;
const U = 2;

function lstm(config: Record<string, unknown> = {}): Layer {
  return {
    class_name: 'LSTM',
    config: {
      name: 'lstm_1',
      units: U,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      return_sequences: true,
      batch_input_shape: [null, null, I],
      ...config,
    },
  };
}

function lstmWeights(prefix = 'lstm_1'): TfjsWeightSpec[] {
  return [
    { name: `${prefix}/kernel`, shape: [I, 4 * U], dtype: 'float32' },
    { name: `${prefix}/recurrent_kernel`, shape: [U, 4 * U], dtype: 'float32' },
    { name: `${prefix}/bias`, shape: [4 * U], dtype: 'float32' },
  ];
}

function artifacts(
  layers: Layer[],
  weightSpecs: TfjsWeightSpec[] = lstmWeights(),
  extra: Partial<TfjsModelArtifacts> & { keras?: string } = {},
): TfjsModelArtifacts {
  const floats = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 's', layers },
      keras_version: extra.keras ?? 'tfjs-layers 4.22.0',
    },
    weightSpecs,
    weightData: new Float32Array(floats).fill(0.1).buffer,
    ...extra,
  };
}

function refusal(make: () => unknown): ModelFormatError | ArtefactError {
  try {
    make();
  } catch (error) {
    if (error instanceof ModelFormatError || error instanceof ArtefactError) return error;
    throw error;
  }
  throw new Error('the model was accepted');
}

describe('importTfjsArtifacts', () => {
  it('accepts camelCase configs (tfjs in memory) as well as snake_case', () => {
    const camel = importTfjsArtifacts(
      artifacts([
        {
          class_name: 'LSTM',
          config: {
            name: 'lstm_1',
            units: U,
            activation: 'relu',
            recurrentActivation: 'hardSigmoid',
            useBias: true,
            batchInputShape: [null, 4, I],
          },
        },
      ]),
    );
    expect(camel.architecture.layers[0]).toEqual({
      type: 'lstm',
      units: U,
      activation: 'relu',
      recurrentActivation: 'hardSigmoid',
      useBias: true,
    });
  });

  it('reads a Keras Sequential with Dropout and a TimeDistributed(Dense) head', () => {
    const model = importTfjsArtifacts(
      artifacts(
        [
          lstm(),
          { class_name: 'Dropout', config: { name: 'd', rate: 0.3 } },
          {
            class_name: 'TimeDistributed',
            config: {
              name: 'td',
              layer: {
                class_name: 'Dense',
                config: { units: 4, activation: 'softmax', use_bias: false },
              },
            },
          },
        ],
        [
          ...lstmWeights('lstm/lstm_cell'),
          { name: 'time_distributed/kernel:0', shape: [U, 4], dtype: 'float32' },
        ],
        { keras: '2.15.0' },
      ),
    );
    expect(model.architecture.head).toEqual({ units: 4, activation: 'softmax', useBias: false });
    expect(model.outputSize).toBe(4);
  });

  it.each([
    [
      'an unsupported layer, by name',
      [lstm(), { class_name: 'Conv1D', config: { name: 'conv_7' } }],
      'IMPORT_UNSUPPORTED_LAYER',
      /layer 'conv_7' \(Conv1D\) is not supported/,
    ],
    [
      'a wrapped layer other than Dense',
      [
        lstm(),
        {
          class_name: 'TimeDistributed',
          config: { name: 'td', layer: { class_name: 'Conv2D', config: {} } },
        },
      ],
      'IMPORT_UNSUPPORTED_LAYER',
      /TimeDistributed\(Conv2D\)/,
    ],
    [
      'a Bidirectional wrapper',
      [{ class_name: 'Bidirectional', config: { name: 'bi' } }],
      'IMPORT_UNSUPPORTED_LAYER',
      /'bi' \(Bidirectional\)/,
    ],
    [
      'a Dense before the recurrent layers',
      [{ class_name: 'Dense', config: { name: 'pre', units: 2, activation: 'relu' } }, lstm()],
      'IMPORT_UNSUPPORTED_LAYER',
      /'pre' \(Dense\) comes before/,
    ],
    [
      'a layer after the head',
      [
        lstm(),
        { class_name: 'Dense', config: { name: 'h', units: 2, activation: 'linear' } },
        lstm({ name: 'late' }),
      ],
      'IMPORT_UNSUPPORTED_LAYER',
      /'late' \(LSTM\) follows the Dense head/,
    ],
    ['go_backwards', [lstm({ go_backwards: true })], 'IMPORT_UNSUPPORTED_CONFIG', /go_backwards/],
    [
      'an unsupported activation',
      [lstm({ activation: 'elu' })],
      'IMPORT_UNSUPPORTED_CONFIG',
      /'lstm_1' \(LSTM\): activation "elu"/,
    ],
    [
      'softmax inside a cell',
      [lstm({ recurrent_activation: 'softmax' })],
      'IMPORT_UNSUPPORTED_CONFIG',
      /recurrent_activation "softmax"/,
    ],
    [
      'no recurrent layer',
      [{ class_name: 'InputLayer', config: { batch_shape: [null, null, I] } }],
      'IMPORT_INVALID_MODEL',
      /no recurrent layer/,
    ],
    [
      'a declared input size that disagrees with the kernel',
      [lstm({ batch_input_shape: [null, null, 5] })],
      'IMPORT_INVALID_MODEL',
      /declares 5 input features/,
    ],
  ])('refuses %s', (_name, layers, code, message) => {
    const error = refusal(() => importTfjsArtifacts(artifacts(layers as Layer[])));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses Keras 3 hard_sigmoid, whose definition differs from tfjs', () => {
    const error = refusal(() =>
      importTfjsArtifacts(
        artifacts([lstm({ recurrent_activation: 'hard_sigmoid' })], lstmWeights(), {
          keras: '3.6.0',
        }),
      ),
    );
    expect(error.message).toMatch(/Keras 3 hard_sigmoid/);
  });

  it('refuses functional models', () => {
    const error = refusal(() =>
      importTfjsArtifacts({
        ...artifacts([lstm()]),
        modelTopology: { class_name: 'Functional', config: {} },
      }),
    );
    expect(error.message).toMatch(/"Functional" is not supported; only Sequential/);
  });

  it.each([
    [
      'quantized weights',
      () => lstmWeights().map((w) => ({ ...w, quantization: { dtype: 'uint8' } })),
      /quantized/,
    ],
    [
      'a non-float32 weight',
      () => lstmWeights().map((w, i) => (i === 2 ? { ...w, dtype: 'int32' } : w)),
      /int32/,
    ],
    [
      "a weight of another role at a layer's position",
      () => lstmWeights().map((w, i) => (i === 1 ? { ...w, name: 'lstm_1/gamma' } : w)),
      /needs a recurrent_kernel weight/,
    ],
    [
      'more weights than the layers use',
      () => [...lstmWeights(), { name: 'extra/kernel', shape: [1], dtype: 'float32' }],
      /lists 4 weights, the layers use 3/,
    ],
  ])('refuses %s', (_name, specs, message) => {
    const error = refusal(() => importTfjsArtifacts(artifacts([lstm()], specs())));
    expect(error.code).toBe('IMPORT_WEIGHTS');
    expect(error.message).toMatch(message);
  });

  it('refuses weight data shorter or longer than the manifest', () => {
    const short = { ...artifacts([lstm()]), weightData: new ArrayBuffer(8) };
    expect(refusal(() => importTfjsArtifacts(short)).message).toMatch(
      /before weight lstm_1\/kernel/,
    );
    const long = { ...artifacts([lstm()]), weightData: new ArrayBuffer(1000) };
    expect(refusal(() => importTfjsArtifacts(long)).message).toMatch(/holds 1000 bytes/);
  });

  it('refuses mis-shaped or non-finite weights through the model validation', () => {
    const misShaped = lstmWeights().map((w, i) => (i === 1 ? { ...w, shape: [4 * U, U] } : w));
    expect(refusal(() => importTfjsArtifacts(artifacts([lstm()], misShaped))).code).toBe(
      'ARTEFACT_SHAPE',
    );
    const nan = artifacts([lstm()]);
    new Float32Array(nan.weightData as ArrayBuffer)[5] = NaN;
    const error = refusal(() => importTfjsArtifacts(nan));
    expect(error.code).toBe('ARTEFACT_NOT_FINITE');
    expect(error.message).toMatch(/layers\/0\/kernel holds NaN/);
  });

  it('refuses malformed rnnflow metadata left by the exporter', () => {
    const bad = {
      ...artifacts([lstm()]),
      userDefinedMetadata: { rnnflow: { normalization: { mean: 'x', std: [1] } } },
    };
    const error = refusal(() => importTfjsArtifacts(bad));
    expect(error.code).toBe('IMPORT_INVALID_MODEL');
    expect(error.message).toMatch(/normalization/);
  });

  it('reports a missing directory as IMPORT_IO', async () => {
    await expect(loadTfjsDirectory('/nonexistent/rnnflow-model')).rejects.toMatchObject({
      code: 'IMPORT_IO',
    });
  });
});
