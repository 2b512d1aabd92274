import { describe, expect, it } from 'vitest';
import { activateHeadInPlace, activateInPlace } from './activation.kernel.js';

const xs = Float32Array.from({ length: 4001 }, (_, i) => -20 + i * 0.01);

function applied(activation: Parameters<typeof activateInPlace>[3]): Float32Array {
  const values = xs.slice();
  activateInPlace(values, 0, values.length, activation);
  return values;
}

function maxError(actual: Float32Array, exact: (x: number) => number): number {
  return actual.reduce((max, v, i) => Math.max(max, Math.abs(v - exact(xs[i]))), 0);
}

describe('activations', () => {
  it('tanh and sigmoid stay within 5e-7 of the exact functions', () => {
    expect(maxError(applied('tanh'), Math.tanh)).toBeLessThan(5e-7);
    expect(maxError(applied('sigmoid'), (x) => 1 / (1 + Math.exp(-x)))).toBeLessThan(5e-7);
  });

  it('hardSigmoid is the tfjs clip(0.2x + 0.5, 0, 1); relu and linear are exact', () => {
    expect(
      maxError(applied('hardSigmoid'), (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5))),
    ).toBeLessThan(1e-7);
    expect(maxError(applied('relu'), (x) => Math.max(0, x))).toBe(0);
    expect(maxError(applied('linear'), (x) => x)).toBe(0);
  });

  it('touches only the given range', () => {
    const values = Float32Array.from([5, 5, 5, 5]);
    activateInPlace(values, 1, 3, 'tanh');
    expect([values[0], values[3]]).toEqual([5, 5]);
  });

  it('softmax normalises one key’s outputs, stable for large inputs', () => {
    const values = Float32Array.from([9, 1000, 1001, 1002, 9]);
    activateHeadInPlace(values, 1, 4, 'softmax');
    const sum = values[1] + values[2] + values[3];
    expect(sum).toBeCloseTo(1, 6);
    expect(values[3]).toBeGreaterThan(values[2]);
    expect([values[0], values[4]]).toEqual([9, 9]);
  });
});
