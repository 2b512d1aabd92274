import { describe, expect, it } from 'vitest';
import { DRIFT_CASES, measureDrift } from './precision.drift.js';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('float16 state drift', () => {
  it.each(DRIFT_CASES.map((driftCase) => [`${driftCase.name}, ${driftCase.inputs}`, driftCase]))(
    '%s: outputs differ from float32 states by little on average, and not more with steps',
    (_, driftCase) => {
      const result = measureDrift(driftCase, { keys: 4, steps: 2000, seed: 3 });
      expect(result.maxAbsDifference).toBeGreaterThan(0);
      expect(result.maxAbsDifference).toBeLessThan(0.5);
      expect(result.meanAbsDifference).toBeLessThan(5e-3);
      // An error that accumulated would make the last tenths several times the first.
      const tenths = result.meanByTenth;
      expect(mean(tenths.slice(-3))).toBeLessThan(4 * mean(tenths.slice(0, 3)) + 1e-4);
    },
  );
});
