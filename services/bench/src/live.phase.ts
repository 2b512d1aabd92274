import type { BenchStack } from './bench.stack.js';
import {
  EXACTLY_ONCE_P99_BOUND_MS,
  LiveSession,
  type LiveContender,
  type LiveSessionOptions,
  type LiveWindow,
} from './live.session.js';
import type { DeliveryMode } from './pipeline.options.js';
import type { PhaseProgress, ProgressDisplay } from './progress.display.js';
import { searchSustainableRate, type SearchResult } from './rate.search.js';

/** The fixed rate every contender is measured at first, events/s (the issue's steady stream). */
export const FIXED_RATE = 500;
/** Shares of the reference sustainable rate the live windows run at. */
const LOADS = [0.25, 0.5, 0.75] as const;
/** The p99 a contender must keep to sustain a rate, ms. */
const P99_BOUND_MS = 50;
/** A lag growing faster than this share of the rate is not bounded. */
const LAG_GROWTH_SHARE = 0.05;
/** Exactly-once: share of a window's predictions that must commit within the bound (a p99). */
const COMMITTED_SHARE = 0.99;
/** The steady producer must reach this share of the asked rate for the window to count. */
const ACHIEVED_SHARE = 0.95;
const MAX_RATE = 64_000;
const MIN_RATE = 100;

/**
 * Each session (a contender's process, started fresh) first runs this long at its first rate,
 * unmeasured for the verdicts: a new process's first seconds (JIT, heap growth) are slower than
 * its steady state, and one slow window decides a search. Its latency is reported as a warm-up.
 */
const WARMUP_SECONDS = 5;

/** A window with the verdict the search uses. */
export interface LiveRun extends LiveWindow {
  /** `500 ev/s`, or the share of the reference rate, e.g. `25 %`. */
  load: string;
  sustained: boolean;
}

export interface LiveContenderResult {
  /** The highest steady rate with a bounded lag and p99 within `p99BoundMs`. */
  sustainable: SearchResult & { p99BoundMs: number };
  /** Search windows beyond the first (500 ev/s): rate, verdict, p99, lag growth. */
  searchWindows: Pick<LiveRun, 'targetRate' | 'sustained' | 'p99Ms' | 'lagGrowthPerSecond'>[];
  /** 500 ev/s, then each load of the reference rate. */
  runs: LiveRun[];
  /** The warm-up window of each session, in order; not judged. */
  warmups: LiveWindow[];
}

export interface LiveResult {
  /** The sustainable rate the loads are shares of: the at-least-once predictor's, else the floor's. */
  reference: { contender: LiveContender; rate: number };
  contenders: Partial<Record<LiveContender, LiveContenderResult>>;
}

export interface LivePhaseOptions extends Omit<LiveSessionOptions, 'signal'> {
  modes: readonly DeliveryMode[];
  liveSeconds: number;
  searchSeconds: number;
  searchBisections: number;
}

/**
 * The live phase: each contender (the floor service, then the predictor in each mode) at 500
 * ev/s and in a search for its sustainable rate; then every contender at 25/50/75 % of the
 * reference rate. Each session runs on fresh topics; a window that left a backlog ends its
 * session.
 */
export async function runLivePhase(
  stack: BenchStack,
  options: LivePhaseOptions,
  progress: ProgressDisplay,
  signal: AbortSignal,
): Promise<LiveResult> {
  const contenders: LiveContender[] = ['floor', ...options.modes];
  const sessions = new Sessions(stack, { ...options, signal });
  const results: Partial<Record<LiveContender, LiveContenderResult>> = {};
  try {
    for (const contender of contenders) {
      results[contender] = await searchPhase(sessions, contender, options, progress);
      await sessions.end();
    }
    const warmups = sessions.warmups;
    const atLeastOnce = results['at-least-once']?.sustainable.rate ?? 0;
    const reference: LiveResult['reference'] =
      atLeastOnce > 0
        ? { contender: 'at-least-once', rate: atLeastOnce }
        : { contender: 'floor', rate: results.floor?.sustainable.rate ?? 0 };
    for (const contender of contenders) {
      const runs = results[contender]!.runs;
      const phase = progress.phase(`live ${contender} at loads`, LOADS.length, 'windows');
      for (const load of LOADS) {
        const rate = Math.round(load * reference.rate);
        if (rate <= 0) continue;
        const window = await sessions.measure(contender, rate, options.liveSeconds);
        runs.push(verdict(contender, window, `${load * 100} %`));
        phase.update(runs.length - 1);
      }
      phase.finish(runs.slice(1).map(describe).join('; ') || 'no reference rate');
      await sessions.end();
    }
    for (const { contender, window } of warmups) results[contender]?.warmups.push(window);
    return { reference, contenders: results };
  } finally {
    await sessions.end();
  }
}

async function searchPhase(
  sessions: Sessions,
  contender: LiveContender,
  options: LivePhaseOptions,
  progress: ProgressDisplay,
): Promise<LiveContenderResult> {
  const phase: PhaseProgress = progress.phase(`live ${contender}: search`, 1, 'windows');
  const fixed = verdict(
    contender,
    await sessions.measure(contender, FIXED_RATE, options.liveSeconds),
    `${FIXED_RATE} ev/s`,
  );
  const searchWindows: LiveContenderResult['searchWindows'] = [];
  const search = await searchSustainableRate(
    { rate: FIXED_RATE, sustained: fixed.sustained },
    async (rate) => {
      const run = verdict(
        contender,
        await sessions.measure(contender, rate, options.searchSeconds),
        '',
      );
      const { targetRate, sustained, p99Ms, lagGrowthPerSecond } = run;
      searchWindows.push({ targetRate, sustained, p99Ms, lagGrowthPerSecond });
      phase.update(searchWindows.length);
      return sustained;
    },
    { maxRate: MAX_RATE, minRate: MIN_RATE, bisections: options.searchBisections },
  );
  const sustainable = { ...search, p99BoundMs: p99Bound(contender) };
  phase.finish(
    `500 ev/s: ${describe(fixed)}; sustains ${search.atCeiling ? '≥ ' : ''}${search.rate} ev/s ` +
      `(${search.trials.map((t) => `${t.rate}${t.sustained ? '✓' : '✗'}`).join(' ')})`,
  );
  return { sustainable, searchWindows, runs: [fixed], warmups: [] };
}

function p99Bound(contender: LiveContender): number {
  return contender === 'exactly-once' ? EXACTLY_ONCE_P99_BOUND_MS : P99_BOUND_MS;
}

/**
 * Sustained: every event arrived, the lag stayed bounded, the rate was reached, p99 in bound;
 * for exactly-once also 99 % of the predictions committed within the bound.
 */
export function verdict(contender: LiveContender, window: LiveWindow, load: string): LiveRun {
  const sustained =
    !window.stoppedEarly &&
    window.undelivered === 0 &&
    window.achievedRate >= ACHIEVED_SHARE * window.targetRate &&
    window.lagGrowthPerSecond <= LAG_GROWTH_SHARE * window.targetRate &&
    window.p99Ms !== null &&
    window.p99Ms <= p99Bound(contender) &&
    (window.committed === null || (window.committed.shareWithin ?? 0) >= COMMITTED_SHARE);
  return { ...window, load, sustained };
}

function describe(run: LiveRun): string {
  const ms = (value: number | null) => (value === null ? '–' : value.toFixed(0));
  return `${run.targetRate} ev/s p50 ${ms(run.p50Ms)} / p99 ${ms(run.p99Ms)} ms${run.sustained ? '' : ' (not sustained)'}`;
}

/** The one open session, kept across windows of a contender while each drains. */
class Sessions {
  private open: { contender: LiveContender; session: LiveSession } | undefined;
  /** Every session's warm-up window. */
  readonly warmups: { contender: LiveContender; window: LiveWindow }[] = [];

  constructor(
    private readonly stack: BenchStack,
    private readonly options: LiveSessionOptions,
  ) {}

  async measure(contender: LiveContender, rate: number, seconds: number): Promise<LiveWindow> {
    if (this.open?.contender !== contender || !this.open.session.drained) {
      await this.end();
      const session = await LiveSession.open(this.stack, contender, this.options);
      this.open = { contender, session };
      this.warmups.push({ contender, window: await session.measure(rate, WARMUP_SECONDS) });
    }
    return this.open.session.measure(rate, seconds);
  }

  async end(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    await open?.session.stop();
  }
}
