import { BenchOptionError } from './bench.errors.js';
import {
  DRIFT_CASES,
  measureDrift,
  type DriftOptions,
  type DriftResult,
} from './precision.drift.js';

export const PRECISION_DEFAULTS: DriftOptions = { keys: 16, steps: 10_000, seed: 1 };

/** The command's flags as strings (undefined when not given), validated with defaults filled in. */
export function parsePrecisionFlags(flags: {
  keys?: string;
  steps?: string;
  seed?: string;
}): DriftOptions {
  const integer = (flag: string, text: string | undefined, fallback: number, max: number) => {
    if (text === undefined) return fallback;
    const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new BenchOptionError(`--${flag} must be an integer in 1..${max}, got "${text}"`);
    }
    return value;
  };
  return {
    keys: integer('keys', flags.keys, PRECISION_DEFAULTS.keys, 4096),
    steps: integer('steps', flags.steps, PRECISION_DEFAULTS.steps, 10_000_000),
    seed: integer('seed', flags.seed, PRECISION_DEFAULTS.seed, 2 ** 31 - 1),
  };
}

/**
 * `rnnflow bench precision`: every drift case (precision.drift.ts) over `steps` steps of `keys`
 * keys; prints a markdown table row by row, then one JSON line. Pure computation, no servers.
 */
export function runPrecisionBench(options: DriftOptions = PRECISION_DEFAULTS): DriftResult[] {
  console.log(
    `float16 against float32 states: ${options.keys} keys × ${options.steps} steps each, seed ${options.seed}\n`,
  );
  console.log(
    '| model | inputs | max abs difference | mean abs difference | mean, first → last tenth of steps | largest abs output |',
  );
  console.log('|---|---|---:|---:|---|---:|');
  const results = DRIFT_CASES.map((driftCase) => {
    const result = measureDrift(driftCase, options);
    const tenths = result.meanByTenth;
    console.log(
      `| ${result.name} | ${result.inputs} | ${result.maxAbsDifference.toExponential(2)} | ${result.meanAbsDifference.toExponential(2)} | ${tenths[0].toExponential(1)} → ${tenths[tenths.length - 1].toExponential(1)} | ${result.maxAbsOutput.toFixed(2)} |`,
    );
    return result;
  });
  console.log(JSON.stringify({ bench: 'precision', ...options, results }));
  return results;
}
