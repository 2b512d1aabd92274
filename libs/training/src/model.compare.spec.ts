import { RecurrentModel } from '@rnnflow/cells';
import { describe, expect, it } from 'vitest';
import { compareModels, decideChallenger } from './model.compare.js';
import { allocateWindows } from './window.set.js';

describe('decideChallenger', () => {
  it('accepts when the loss is lower by at least the relative margin', () => {
    expect(decideChallenger(1, 0.9, 0.1)).toEqual({
      championLoss: 1,
      challengerLoss: 0.9,
      improvement: expect.closeTo(0.1, 12),
      accept: true,
    });
    expect(decideChallenger(1, 0.91, 0.1).accept).toBe(false);
    expect(decideChallenger(1, 1.2, 0).accept).toBe(false);
    expect(decideChallenger(1, 1.2, 0).improvement).toBeCloseTo(-0.2, 12);
    expect(decideChallenger(1, 1, 0).accept).toBe(true);
  });

  it('accepts any finite challenger without a champion, never a non-finite one', () => {
    expect(decideChallenger(null, 5, 0.1)).toEqual({
      championLoss: null,
      challengerLoss: 5,
      improvement: null,
      accept: true,
    });
    expect(decideChallenger(null, NaN, 0.1).accept).toBe(false);
    expect(decideChallenger(1, Infinity, 0).accept).toBe(false);
  });

  it('cannot improve on a perfect champion', () => {
    expect(decideChallenger(0, 0, 0).accept).toBe(false);
    expect(decideChallenger(0, 0.1, 0).improvement).toBe(-Infinity);
  });

  it('refuses a negative margin', () => {
    expect(() => decideChallenger(1, 0.5, -0.1)).toThrow(
      expect.objectContaining({ code: 'TRAINING_BAD_OPTION' }),
    );
  });
});

/** A one-unit SimpleRNN with a linear activation whose output is `gain · x` (no recurrence). */
function gainModel(gain: number): RecurrentModel {
  return RecurrentModel.create({
    architecture: {
      inputSize: 1,
      layers: [{ type: 'simpleRnn', units: 1, activation: 'linear', useBias: false }],
      head: null,
    },
    weights: [
      { name: 'layers/0/kernel', shape: [1, 1], values: Float32Array.of(gain) },
      { name: 'layers/0/recurrent_kernel', shape: [1, 1], values: Float32Array.of(0) },
    ],
  });
}

describe('compareModels', () => {
  it('evaluates both models on the held-out windows with the stepper', () => {
    // Label = 2x at the first step only; the second step is unlabeled and must not count.
    const heldOut = allocateWindows({ count: 2, length: 2, inputSize: 1, outputSize: 1 });
    heldOut.inputs.set([1, 100, 3, 100]);
    heldOut.labels.set([2, 0, 6, 0]);
    heldOut.mask.set([1, 0, 1, 0]);
    const comparison = compareModels(gainModel(1), gainModel(2), heldOut, { margin: 0.5 });
    expect(comparison.championLoss).toBeCloseTo((1 + 9) / 2, 6);
    expect(comparison.challengerLoss).toBe(0);
    expect(comparison.improvement).toBe(1);
    expect(comparison.accept).toBe(true);
    expect(compareModels(gainModel(2), gainModel(1), heldOut, { margin: 0 }).accept).toBe(false);
  });
});
