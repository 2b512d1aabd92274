import { describe, expect, it } from 'vitest';
import { modelShape, scratchArchitecture } from './model.shape.js';

describe('modelShape', () => {
  it('takes the sizes of the active model, forecasting the label features when they fit', () => {
    expect(modelShape({ inputSize: 4, outputSize: 2 }, 9, [0, 3])).toEqual({
      inputSize: 4,
      outputSize: 2,
      forecastFeatures: [0, 3],
    });
  });

  it('labels only events with a target when the label features do not match the outputs', () => {
    expect(modelShape({ inputSize: 4, outputSize: 3 }, 4, [0]).forecastFeatures).toBeUndefined();
  });

  it('without a model, takes I from the first event and O from the label features', () => {
    expect(modelShape(null, 6, [1, 2])).toEqual({
      inputSize: 6,
      outputSize: 2,
      forecastFeatures: [1, 2],
    });
  });
});

describe('scratchArchitecture', () => {
  const shape = { inputSize: 3, outputSize: 2, forecastFeatures: [0, 1] };

  it('stacks one layer per unit count, with a linear head of O outputs', () => {
    const architecture = scratchArchitecture(shape, 'lstm', [32, 16]);
    expect(architecture.inputSize).toBe(3);
    expect(architecture.layers.map((layer) => [layer.type, layer.units])).toEqual([
      ['lstm', 32],
      ['lstm', 16],
    ]);
    expect(architecture.head).toEqual({ units: 2, activation: 'linear', useBias: true });
  });

  it('uses GRUs tfjs can train and maps rnn to a simple RNN', () => {
    expect(scratchArchitecture(shape, 'gru', [8]).layers[0]).toMatchObject({
      type: 'gru',
      resetAfter: false,
    });
    expect(scratchArchitecture(shape, 'rnn', [8]).layers[0].type).toBe('simpleRnn');
  });
});
