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

function experiment(seqLen: number, rnnMse: number): AddingExperimentResult {
  return {
    seqLen,
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
          { step: 100, mse: rnnMse },
        ],
        finalMse: rnnMse,
        stepsToThreshold: null,
        parameterCount: 1153,
        trainingSeconds: 30,
        model,
      },
    ],
  };
}

describe('summarizeAdding', () => {
  const results = summarizeAdding(
    parseAddingFlags({ steps: '100', seqLen: '10,100' }),
    [experiment(10, 0.00012345), experiment(100, 0.1667)],
    new Map([
      ['10/lstm', 1.5e6],
      ['10/rnn', 4e6],
      ['100/lstm', 1.6e6],
      ['100/rnn', 4.1e6],
    ]),
  );

  it('lists one entry per (length, cell) with the fields of results.json', () => {
    expect(results).toMatchObject({
      seqLens: [10, 100],
      baselineMse: 1 / 6,
      steps: 100,
      units: 32,
      learningRate: 0.005,
      clipNorm: 1,
    });
    expect(results.entries.map((entry) => `${entry.seqLen}/${entry.cell}`)).toEqual([
      '10/lstm',
      '10/rnn',
      '100/lstm',
      '100/rnn',
    ]);
    expect(results.entries[0]).toEqual({
      seqLen: 10,
      cell: 'lstm',
      finalMse: 0.04,
      stepsToMse005: 100,
      params: 4513,
      trainSeconds: 61.25,
      stepKeysPerSecond: 1.5e6,
      curve: experiment(10, 0).cells[0].curve,
    });
    expect(results.entries[3]).toMatchObject({ finalMse: 0.1667, stepsToMse005: null });
  });

  it('prints one markdown row per (length, cell), then the shared settings', () => {
    const lines = addingMarkdown(results).split('\n');
    expect(lines[0]).toBe(
      '| T | cell | parameters | final validation MSE | steps to MSE ≤ 0.05 | training s | step key/s (256 keys) |',
    );
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- | --- |');
    expect(lines[2]).toBe('| 10 | LSTM | 4,513 | 0.0400 | 100 | 61.3 | 1,500,000 |');
    expect(lines[3]).toBe('| 10 | SimpleRNN | 1,153 | 0.000123 | never | 30.0 | 4,000,000 |');
    expect(lines[5]).toBe('| 100 | SimpleRNN | 1,153 | 0.1667 | never | 30.0 | 4,100,000 |');
    expect(lines[7]).toContain('T = 10, 100; every cell 32 units, 100 steps of 64, Adam 0.005');
    expect(lines[7]).toContain('Always predicting 1.0 scores MSE 0.167');
  });
});
