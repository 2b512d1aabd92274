/** One steady window of the search: its rate (events/s) and whether the contender kept up. */
export interface SearchTrial {
  rate: number;
  sustained: boolean;
}

/** Bounds of a search; every trial costs a steady window, so the trial count is what matters. */
export interface SearchPlan {
  /** Highest rate tried while doubling, events/s. */
  maxRate: number;
  /** Lowest rate tried while halving below the first trial, events/s. */
  minRate: number;
  /** Bisection steps between the last sustained rate and the first that was not. */
  bisections: number;
}

export interface SearchResult {
  /** Highest sustained rate found, events/s; 0 when even `minRate` was not sustained. */
  rate: number;
  /** True when `maxRate` itself was sustained: the contender may do more. */
  atCeiling: boolean;
  trials: SearchTrial[];
}

/**
 * The highest steady rate a contender sustains: from a first trial already measured, doubling
 * until a rate fails (or halving until one holds), then bisecting between the last rate that
 * held and the first that failed. At most log2(maxRate / first) + bisections + 1 trials.
 */
export async function searchSustainableRate(
  first: SearchTrial,
  trial: (rate: number) => Promise<boolean>,
  plan: SearchPlan,
): Promise<SearchResult> {
  const trials: SearchTrial[] = [first];
  const run = async (rate: number) => {
    const sustained = await trial(rate);
    trials.push({ rate, sustained });
    return sustained;
  };
  let held = first.sustained ? first.rate : 0;
  let failed = first.sustained ? Infinity : first.rate;
  if (first.sustained) {
    while (failed === Infinity && held * 2 <= plan.maxRate) {
      const rate = held * 2;
      if (await run(rate)) held = rate;
      else failed = rate;
    }
    if (failed === Infinity) return { rate: held, atCeiling: true, trials };
  } else {
    while (held === 0 && failed / 2 >= plan.minRate) {
      const rate = Math.round(failed / 2);
      if (await run(rate)) held = rate;
      else failed = rate;
    }
    if (held === 0) return { rate: 0, atCeiling: false, trials };
  }
  for (let step = 0; step < plan.bisections; step += 1) {
    const rate = Math.round((held + failed) / 2);
    if (rate <= held || rate >= failed) break;
    if (await run(rate)) held = rate;
    else failed = rate;
  }
  return { rate: held, atCeiling: false, trials };
}
