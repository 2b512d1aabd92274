import { RecurrentModel } from '@rnnflow/cells';
import type { AddingExperimentResult } from '@rnnflow/training';
import { describe, expect, it } from 'vitest';
import { parseAddingFlags } from './adding.options.js';
import { addingMarkdown, summarizeAdding } from './adding.results.js';

// The summary never steps the models: any RecurrentModel stands in for the trained ones.
const model = RecurrentModel.create({
  architecture: {
    inputSize: 2,
    layers: [{ type: 'simpleRnn', units: 1, activation: 'tanh', useBias: false }],
    head: null,
  },
  weights: [
    { name: 'layers/0/kernel', shape: [2, 1], values: new Float32Array(2) },
    { name: 'layers/0/recurrent_kernel', shape: [1, 1], values: new Float32Array(1) },
  ],
});

const experiment: AddingExperimentResult = {
  seqLen: 30,
  threshold: 0.05,
  baselineMse: 1 / 6,
  backend: 'wasm',
  cells: [
    {
      cell: 'lstm',
      curve: [
        { step: 50, mse: 0.17 },
        { step: 100, mse: 0.04 },
      ],
      finalMse: 0.04,
      stepsToThreshold: 100,
      parameterCount: 4513,
      trainingSeconds: 61.25,
      model,
    },
    {
      cell: 'rnn',
      curve: [
        { step: 50, mse: 0.2 },
        { step: 100, mse: 0.00012345 },
      ],
      finalMse: 0.00012345,
      stepsToThreshold: null,
      parameterCount: 1153,
      trainingSeconds: 30,
      model,
    },
  ],
};

describe('summarizeAdding', () => {
  const results = summarizeAdding(
    parseAddingFlags({ steps: '100' }),
    experiment,
    new Map([
      ['lstm', 1.5e6],
      ['rnn', 4e6],
    ]),
  );

  it('keys the cells by name with the fields of results.json', () => {
    expect(results).toMatchObject({ seqLen: 30, baselineMse: 1 / 6, steps: 100, units: 32 });
    expect(results.cells.lstm).toEqual({
      finalMse: 0.04,
      stepsToMse005: 100,
      params: 4513,
      trainSeconds: 61.25,
      stepKeysPerSecond: 1.5e6,
      curve: experiment.cells[0].curve,
    });
    expect(results.cells.rnn?.stepsToMse005).toBeNull();
    expect(Object.keys(results.cells)).toEqual(['lstm', 'rnn']);
  });

  it('prints one markdown row per cell', () => {
    const lines = addingMarkdown(results).split('\n');
    expect(lines[0]).toBe(
      '| cell | parameters | final validation MSE | steps to MSE ≤ 0.05 | training s | step key/s (256 keys) |',
    );
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- |');
    expect(lines[2]).toBe('| LSTM | 4,513 | 0.0400 | 100 | 61.3 | 1,500,000 |');
    expect(lines[3]).toBe('| SimpleRNN | 1,153 | 0.000123 | never | 30.0 | 4,000,000 |');
    expect(lines[5]).toContain('Always predicting 1.0 scores MSE 0.167');
  });
});
