import { describe, expect, it } from 'vitest';
import { searchSustainableRate } from './rate.search.js';

const plan = { maxRate: 64_000, minRate: 100, bisections: 3 };

/** A contender that keeps up with every rate up to `capacity`. */
function upTo(capacity: number) {
  const asked: number[] = [];
  return { asked, trial: async (rate: number) => (asked.push(rate), rate <= capacity) };
}

describe('searchSustainableRate', () => {
  it('doubles from the first trial until a rate fails, then bisects', async () => {
    const contender = upTo(5000);
    const result = await searchSustainableRate(
      { rate: 500, sustained: true },
      contender.trial,
      plan,
    );
    expect(contender.asked).toEqual([1000, 2000, 4000, 8000, 6000, 5000, 5500]);
    expect(result.rate).toBe(5000);
    expect(result.atCeiling).toBe(false);
    expect(result.trials[0]).toEqual({ rate: 500, sustained: true });
    expect(result.trials).toHaveLength(8);
  });

  it('halves below a first trial that failed', async () => {
    const contender = upTo(300);
    const result = await searchSustainableRate(
      { rate: 500, sustained: false },
      contender.trial,
      plan,
    );
    expect(contender.asked).toEqual([250, 375, 313, 282]);
    expect(result.rate).toBe(282);
  });

  it('reports 0 when nothing down to the lowest rate holds', async () => {
    const contender = upTo(50);
    const result = await searchSustainableRate(
      { rate: 500, sustained: false },
      contender.trial,
      plan,
    );
    expect(contender.asked).toEqual([250, 125]);
    expect(result).toMatchObject({ rate: 0, atCeiling: false });
  });

  it('stops at the ceiling and says so', async () => {
    const contender = upTo(Infinity);
    const result = await searchSustainableRate({ rate: 500, sustained: true }, contender.trial, {
      ...plan,
      maxRate: 4000,
    });
    expect(contender.asked).toEqual([1000, 2000, 4000]);
    expect(result).toMatchObject({ rate: 4000, atCeiling: true });
  });
});
