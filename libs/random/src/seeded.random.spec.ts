import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded.random.js';

const draw = (random: SeededRandom, n: number) => Array.from({ length: n }, () => random.uniform());

describe('SeededRandom', () => {
  it('repeats a stream for the same seed and stream number', () => {
    expect(draw(SeededRandom.forStream(7, 3), 50)).toEqual(draw(SeededRandom.forStream(7, 3), 50));
  });

  it('gives neighbouring streams and seeds unrelated values', () => {
    const first = draw(SeededRandom.forStream(7, 3), 50);
    expect(draw(SeededRandom.forStream(7, 4), 50)).not.toEqual(first);
    expect(draw(SeededRandom.forStream(8, 3), 50)).not.toEqual(first);
  });

  it('draws uniforms in [0, 1) and whole numbers below n', () => {
    const random = SeededRandom.forStream(1, 0);
    for (let i = 0; i < 10_000; i += 1) {
      const u = random.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = random.below(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
    }
  });

  it('draws normals with mean about 0 and standard deviation about 1', () => {
    const random = SeededRandom.forStream(2, 0);
    const values = Array.from({ length: 40_000 }, () => random.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    // Standard error of the mean is 0.005 here; these bounds are 6 of them.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
