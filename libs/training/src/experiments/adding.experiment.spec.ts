import { describe, expect, it } from 'vitest';
import { ADDING_BASELINE_MSE, generateAddingProblem } from './adding.data.js';
import { runAddingExperiment, type AddingProgress } from './adding.experiment.js';

describe('generateAddingProblem', () => {
  const T = 12;
  const set = generateAddingProblem({ count: 500, seqLen: T, seed: 11 });

  it('marks exactly two steps per sequence, one in each half, and labels their sum at the last step', () => {
    for (let n = 0; n < set.count; n++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const value = set.inputs[(n * T + t) * 2];
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        if (set.inputs[(n * T + t) * 2 + 1] === 1) {
          marked.push(t);
          sum += value;
        } else {
          expect(set.inputs[(n * T + t) * 2 + 1]).toBe(0);
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(T / 2);
      expect(marked[1]).toBeGreaterThanOrEqual(T / 2);
      expect(set.labels[n * T + T - 1]).toBeCloseTo(sum, 6);
      expect(Array.from(set.mask.subarray(n * T, (n + 1) * T))).toEqual([
        ...Array(T - 1).fill(0),
        1,
      ]);
    }
  });

  it('spreads the markers over each half and has the expected target variance', () => {
    const firsts = new Set<number>();
    const targets: number[] = [];
    for (let n = 0; n < set.count; n++) {
      for (let t = 0; t < T / 2; t++) if (set.inputs[(n * T + t) * 2 + 1] === 1) firsts.add(t);
      targets.push(set.labels[n * T + T - 1]);
    }
    expect(firsts.size).toBe(T / 2);
    const mean = targets.reduce((a, b) => a + b, 0) / targets.length;
    const variance = targets.reduce((a, b) => a + (b - mean) ** 2, 0) / targets.length;
    expect(mean).toBeCloseTo(1, 1);
    expect(variance).toBeCloseTo(ADDING_BASELINE_MSE, 1);
  });

  it('is deterministic for a seed', () => {
    const again = generateAddingProblem({ count: 500, seqLen: T, seed: 11 });
    expect(again.inputs).toEqual(set.inputs);
    expect(generateAddingProblem({ count: 500, seqLen: T, seed: 12 }).inputs).not.toEqual(
      set.inputs,
    );
  });
});

describe('runAddingExperiment', () => {
  it('returns a learning curve and the summary fields for every cell', async () => {
    const progress: AddingProgress[] = [];
    const result = await runAddingExperiment({
      seqLen: 10,
      units: 4,
      steps: 20,
      batchSize: 16,
      evalEvery: 10,
      validationSize: 64,
      seed: 5,
      onProgress: (p) => progress.push(p),
    });
    expect(result.seqLen).toBe(10);
    expect(result.baselineMse).toBeCloseTo(1 / 6, 12);
    expect(result.cells.map((c) => c.cell)).toEqual(['lstm', 'gru', 'rnn']);
    // One recurrent layer of 4 units on 2 inputs (gates × (2·4 + 4·4 + 4)) plus a 4 → 1 head.
    expect(result.cells.map((c) => c.parameterCount)).toEqual([4 * 28 + 5, 3 * 28 + 5, 28 + 5]);
    for (const cell of result.cells) {
      expect(cell.curve.map((p) => p.step)).toEqual([10, 20]);
      expect(cell.finalMse).toBe(cell.curve[1].mse);
      expect(Number.isFinite(cell.finalMse)).toBe(true);
      expect(cell.trainingSeconds).toBeGreaterThan(0);
      const reached = cell.curve.find((p) => p.mse <= result.threshold)?.step ?? null;
      expect(cell.stepsToThreshold).toBe(reached);
      expect(cell.model.architecture.layers[0].units).toBe(4);
    }
    expect(progress).toHaveLength(6);
    expect(progress[0]).toMatchObject({ cell: 'lstm', step: 10, totalSteps: 20 });
  }, 30_000);
});
