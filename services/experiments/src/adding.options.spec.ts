import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ADDING_DEFAULTS, parseAddingFlags } from './adding.options.js';
import { ExperimentOptionError } from './experiment.errors.js';

describe('parseAddingFlags', () => {
  it('fills in the defaults: T 10, 50, 100, 32 units, batch 64, 1000 steps, all cells, a training per core', () => {
    expect(parseAddingFlags({})).toEqual({
      seqLens: [10, 50, 100],
      cells: ['lstm', 'gru', 'rnn'],
      units: 32,
      steps: 1000,
      batchSize: 64,
      evalEvery: 50,
      seed: 1,
      workers: availableParallelism(),
      out: ADDING_DEFAULTS.out,
    });
  });

  it('reads every flag', () => {
    expect(
      parseAddingFlags({
        seqLen: '120, 12,60',
        cells: 'GRU, rnn',
        units: '8',
        steps: '200',
        batchSize: '16',
        evalEvery: '20',
        seed: '7',
        workers: '3',
        out: 'results/adding',
      }),
    ).toEqual({
      seqLens: [12, 60, 120],
      cells: ['gru', 'rnn'],
      units: 8,
      steps: 200,
      batchSize: 16,
      evalEvery: 20,
      seed: 7,
      workers: 3,
      out: 'results/adding',
    });
  });

  it.each([
    [{ seqLen: '1' }, '--seq-len must be an integer in 2..1000, got "1"'],
    [{ seqLen: '30x' }, '--seq-len must be an integer in 2..1000, got "30x"'],
    [{ seqLen: '10,,20' }, '--seq-len must be an integer in 2..1000, got ""'],
    [{ seqLen: '10,2000' }, '--seq-len must be an integer in 2..1000, got "2000"'],
    [{ seqLen: '50,10,50' }, '--seq-len lists a length twice: "50,10,50"'],
    [{ units: '0' }, '--units must be an integer in 1..1024, got "0"'],
    [{ steps: '1.5' }, '--steps must be an integer in 1..1000000, got "1.5"'],
    [{ steps: '' }, '--steps must be an integer in 1..1000000, got ""'],
    [{ batchSize: '-4' }, '--batch-size must be an integer in 1..4096, got "-4"'],
    [{ steps: '100', evalEvery: '101' }, '--eval-every must be an integer in 1..100, got "101"'],
    [{ seed: 'abc' }, '--seed must be an integer in 0..2147483647, got "abc"'],
    [{ cells: 'lstm,transformer' }, '--cells takes a comma-separated list of lstm, gru, rnn'],
    [{ cells: '' }, '--cells takes a comma-separated list of lstm, gru, rnn'],
    [{ cells: 'gru,gru' }, '--cells lists a cell twice: "gru,gru"'],
    [{ workers: '0' }, '--workers must be an integer in 1..64, got "0"'],
    [{ out: ' ' }, '--out must name a folder'],
  ])('refuses %o naming the flag', (flags, message) => {
    const call = () => parseAddingFlags(flags);
    expect(call).toThrow(ExperimentOptionError);
    expect(call).toThrow(message);
  });
});
