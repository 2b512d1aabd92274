import type { LiveContenderResult, LiveResult } from './live.phase.js';
import { EXACTLY_ONCE_P99_BOUND_MS } from './live.session.js';
import type { BacklogResult } from './pipeline.report.js';

/** One of the targets, judged on this run's figures. */
export interface TargetResult {
  name: string;
  /** `≥` for a ratio or rate to reach, `≤` for a latency to stay within. */
  comparison: '≥' | '≤';
  goal: number;
  /** null when the run has no figure for it (a contender without samples or not measured). */
  measured: number | null;
  met: boolean;
}

/** The targets (issue 17, "Done when"), in their units. */
const TARGETS = {
  /** At-least-once p99 ≤ max(this, …) ms. */
  p99FloorMs: 20,
  /** … and ≤ this × the floor service's p99 at the same rate. */
  p99VsFloor: 1.5,
  sustainableVsFloor: 0.7,
  smallVsPassthrough: 0.6,
  vsNaive: 15,
  largeVsPassthrough: 0.5,
  exactlyOnceVsAtLeastOnce: 0.8,
  exactlyOnceP99Ms: EXACTLY_ONCE_P99_BOUND_MS,
} as const;

/** Every target this run measured the figures for (exactly-once ones only with that mode). */
export function judgeTargets(
  backlog: { large: BacklogResult; small: BacklogResult },
  live: LiveResult,
): TargetResult[] {
  const targets: TargetResult[] = [];
  const { floor, 'at-least-once': alo, 'exactly-once': eos } = live.contenders;
  if (alo !== undefined && floor !== undefined) {
    for (const load of ['500 ev/s', '25 %']) {
      const floorP99 = p99At(floor, load);
      const goal = Math.max(TARGETS.p99FloorMs, TARGETS.p99VsFloor * (floorP99 ?? Infinity));
      targets.push(atMost(`at-least-once p99 at ${load} (ms)`, goal, p99At(alo, load)));
    }
    targets.push(
      atLeast(
        'at-least-once sustainable rate ÷ floor service',
        TARGETS.sustainableVsFloor,
        ratio(alo.sustainable.rate, floor.sustainable.rate),
      ),
    );
  }
  const small = backlog.small.predictor['at-least-once'];
  if (small !== undefined) {
    targets.push(
      atLeast(
        'small requests: at-least-once ÷ passthrough',
        TARGETS.smallVsPassthrough,
        small.vsPassthrough,
      ),
      atLeast('small requests: at-least-once ÷ naive', TARGETS.vsNaive, small.vsNaive),
    );
  }
  const large = backlog.large.predictor['at-least-once'];
  if (large !== undefined) {
    targets.push(
      atLeast(
        '1 MiB requests: at-least-once ÷ passthrough',
        TARGETS.largeVsPassthrough,
        large.vsPassthrough,
      ),
      atLeast('1 MiB requests: at-least-once ÷ naive', TARGETS.vsNaive, large.vsNaive),
    );
  }
  if (eos !== undefined && alo !== undefined) {
    targets.push(
      atLeast(
        'exactly-once sustainable rate ÷ at-least-once',
        TARGETS.exactlyOnceVsAtLeastOnce,
        ratio(eos.sustainable.rate, alo.sustainable.rate),
      ),
    );
  }
  if (eos !== undefined) {
    for (const load of ['500 ev/s', '25 %']) {
      targets.push(
        atMost(
          `exactly-once read_committed p99 at ${load} (ms)`,
          TARGETS.exactlyOnceP99Ms,
          p99At(eos, load),
        ),
      );
    }
  }
  return targets;
}

/**
 * The window's p99 as a read_committed reader on Kafka would at least see it: for exactly-once
 * the later of the reader's p99 and the p99 of the commits (see `LiveWindow.committed`).
 */
function p99At(contender: LiveContenderResult, load: string): number | null {
  const run = contender.runs.find((candidate) => candidate.load === load);
  if (run?.p99Ms == null) return null;
  if (run.committed === null) return run.p99Ms;
  const committed = run.committed.p99Ms;
  return committed === null ? null : Math.max(run.p99Ms, committed);
}

function ratio(measured: number, base: number): number | null {
  return base > 0 ? measured / base : null;
}

function atLeast(name: string, goal: number, measured: number | null): TargetResult {
  return { name, comparison: '≥', goal, measured, met: measured !== null && measured >= goal };
}

function atMost(name: string, goal: number, measured: number | null): TargetResult {
  return { name, comparison: '≤', goal, measured, met: measured !== null && measured <= goal };
}
