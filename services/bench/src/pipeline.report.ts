import {
  FIXED_RATE,
  type LiveContenderResult,
  type LiveResult,
  type LiveRun,
} from './live.phase.js';
import { EXACTLY_ONCE_P99_BOUND_MS, type LiveContender, type LiveWindow } from './live.session.js';
import type { DeliveryMode, PipelineOptions } from './pipeline.options.js';
import type { TargetResult } from './pipeline.targets.js';
import type { PredictorThroughput } from './predictor.contender.js';
import type { Throughput } from './throughput.js';

/** A predictor's throughput against the baselines of the same backlog. */
export interface ComparedThroughput extends PredictorThroughput {
  /** Predictor events/s over passthrough events/s. */
  vsPassthrough: number;
  /** Predictor events/s over naive events/s (the naive pipeline with as many partitions at once). */
  vsNaive: number;
}

/** One backlog: the same pre-produced input for each contender, produced in one request size. */
export interface BacklogResult {
  /** Records per produce request; null: about 1 MiB per partition. */
  recordsPerRequest: number | null;
  passthrough: Throughput;
  /** The naive pipeline with the baselines' partitions at once: the baseline of the targets. */
  naive: Throughput;
  /** The naive pipeline one partition at a time, as a default kafkajs consumer runs (1 MiB backlog). */
  naiveSequential?: Throughput;
  /** The predictor in this process: one Node thread, like every baseline. */
  predictor: Partial<Record<DeliveryMode, ComparedThroughput>>;
  /** `rnnflow predictor --workers N` (1 MiB backlog, when N > 1). */
  workers?: { processes: number; predictor: Partial<Record<DeliveryMode, ComparedThroughput>> };
}

/** What `rnnflow bench pipeline` prints as its JSON line. */
export interface PipelineResult {
  options: Omit<PipelineOptions, 'jsonFile'>;
  backlog: { large: BacklogResult; small: BacklogResult };
  live: LiveResult;
  targets: TargetResult[];
}

/** A predictor's throughput over each baseline's. */
export function compared(
  measured: PredictorThroughput,
  baselines: Pick<BacklogResult, 'passthrough' | 'naive'>,
): ComparedThroughput {
  return {
    ...measured,
    vsPassthrough: measured.eventsPerSecond / baselines.passthrough.eventsPerSecond,
    vsNaive: measured.eventsPerSecond / baselines.naive.eventsPerSecond,
  };
}

/** Markdown tables: live latency and sustainable rates, the backlogs, predictor phases, targets. */
export function renderTables(result: PipelineResult): string {
  const { options } = result;
  const settings = Object.entries(options.predictorSettings);
  const lines = [
    `Pipeline benchmark: LSTM U = ${options.units}, I = ${options.features}, ${options.partitions} partitions, ` +
      `embedded broker + Redis; predictor settings: ` +
      (settings.length === 0
        ? 'defaults'
        : `${settings.map(([name, value]) => `--${name} ${value}`).join(' ')} (not the defaults)`),
    '',
    ...liveTables(result.live, options.liveKeys),
    '',
    ...backlogTable(result.backlog, options),
    '',
    ...phasesTable(result.backlog),
  ];
  if (result.targets.length > 0) {
    lines.push('', '| target | goal | measured | |', '|---|--:|--:|---|');
    for (const t of result.targets) {
      lines.push(
        `| ${t.name} | ${t.comparison} ${fixed(t.goal, 2)} | ${fixed(t.measured, 2)} | ${t.met ? 'met' : 'MISSED'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const LIVE_NAMES: Record<LiveContender, string> = {
  floor: 'kafkajs service (floor)',
  'at-least-once': 'predictor at-least-once',
  'exactly-once': 'predictor exactly-once',
};

function liveTables(live: LiveResult, keys: number): string[] {
  const contenders = Object.entries(live.contenders) as [LiveContender, LiveContenderResult][];
  const floorRate = live.contenders.floor?.sustainable.rate ?? 0;
  return [
    `Live: a steady stream over ${keys} keys; latency = read downstream (kcat, read_committed) − input time. ` +
      `Loads are shares of the ${LIVE_NAMES[live.reference.contender]}'s sustainable rate (${live.reference.rate} ev/s).`,
    '',
    '| contender | sustainable ev/s | ÷ floor | p99 bound ms | search (ev/s, ✓ sustained) |',
    '|---|--:|--:|--:|---|',
    ...contenders.map(([contender, { sustainable }]) =>
      [
        `| ${LIVE_NAMES[contender]} | ${sustainable.atCeiling ? '≥ ' : ''}${sustainable.rate}`,
        floorRate > 0 ? fixed(sustainable.rate / floorRate, 2) : '–',
        String(sustainable.p99BoundMs),
        `${sustainable.trials.map((t) => `${t.rate}${t.sustained ? '✓' : '✗'}`).join(' ')} |`,
      ].join(' | '),
    ),
    '',
    `| contender | load | ev/s | p50 ms | p99 ms | p99.9 ms | committed ≤ ${EXACTLY_ONCE_P99_BOUND_MS} ms | lag growth ev/s | max lag | sustained |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
    ...contenders.flatMap(([contender, { runs }]) =>
      runs.map((run) => liveRow(LIVE_NAMES[contender], run)),
    ),
    ...contenders.flatMap(([contender, { warmups }]) =>
      warmups.map((window) => warmupRow(LIVE_NAMES[contender], window)),
    ),
  ];
}

/**
 * Exactly-once: the share of the window's predictions whose transaction committed within the
 * bound, exact from the predictor's histogram (its p99, interpolated within a bucket, is in the
 * JSON); '–' for other contenders.
 */
function committedShare(window: LiveWindow): string {
  const share = window.committed?.shareWithin;
  return share == null ? '–' : `${(share * 100).toFixed(1)} %`;
}

/** A session's first seconds, at the rate of its first window; reported, not judged. */
function warmupRow(name: string, window: LiveWindow): string {
  return (
    `| ${name} | warm-up before ${window.targetRate} ev/s | ${fixed(window.achievedRate, 0)} | ` +
    `${fixed(window.p50Ms, 1)} | ${fixed(window.p99Ms, 1)} | ${fixed(window.p999Ms, 1)} | ` +
    `${committedShare(window)} | ${fixed(window.lagGrowthPerSecond, 0)} | ${window.maxLag} | not judged |`
  );
}

function liveRow(name: string, run: LiveRun): string {
  const rate = run.load === `${FIXED_RATE} ev/s` ? '' : ` (${run.targetRate})`;
  return (
    `| ${name} | ${run.load}${rate} | ${fixed(run.achievedRate, 0)} | ${fixed(run.p50Ms, 1)} | ` +
    `${fixed(run.p99Ms, 1)} | ${fixed(run.p999Ms, 1)} | ${committedShare(run)} | ` +
    `${fixed(run.lagGrowthPerSecond, 0)} | ` +
    `${run.maxLag} | ${run.sustained ? 'yes' : run.undelivered > 0 ? `no (${run.undelivered} not delivered)` : 'no'} |`
  );
}

function backlogTable(
  backlog: PipelineResult['backlog'],
  options: PipelineResult['options'],
): string[] {
  const { large, small } = backlog;
  const cells = (figures: BacklogRow | undefined) =>
    figures === undefined
      ? '– | – | –'
      : `${fixed(figures.eventsPerSecond, 0)} | ${fixed(figures.vsPassthrough, 2)} | ${fixed(figures.vsNaive, 1)}`;
  const row = (name: string, a: BacklogRow | undefined, b: BacklogRow | undefined) =>
    `| ${name} | ${cells(a)} | ${cells(b)} |`;
  const modes = Object.keys(large.predictor) as DeliveryMode[];
  const workers = large.workers;
  return [
    `Backlog: ${options.events} events over ${options.keys} keys pre-produced, then consumed as fast as possible; ` +
      `baselines ${options.partitionsConcurrently} partitions at once.`,
    '',
    `| contender | 1 MiB requests ev/s | ÷ passthrough | ÷ naive | ${small.recordsPerRequest}-record requests ev/s | ÷ passthrough | ÷ naive |`,
    '|---|--:|--:|--:|--:|--:|--:|',
    row('passthrough (consume → produce)', large.passthrough, small.passthrough),
    row('naive (per event)', large.naive, small.naive),
    row('naive (per event, 1 partition at a time)', large.naiveSequential, undefined),
    ...modes.map((mode) => row(`predictor ${mode}`, large.predictor[mode], small.predictor[mode])),
    ...(workers === undefined
      ? []
      : modes.map((mode) =>
          row(
            `predictor ${mode}, ${workers.processes} processes`,
            workers.predictor[mode],
            undefined,
          ),
        )),
  ];
}

/** A backlog table cell group: a baseline has no ratios. */
type BacklogRow = Throughput & Partial<Pick<ComparedThroughput, 'vsPassthrough' | 'vsNaive'>>;

function phasesTable(backlog: PipelineResult['backlog']): string[] {
  const rows: [string, PredictorThroughput][] = [];
  for (const [name, result] of [
    ['1 MiB', backlog.large],
    ['small', backlog.small],
  ] as const) {
    for (const [mode, figures] of Object.entries(result.predictor))
      rows.push([`${mode}, ${name}`, figures]);
  }
  return [
    '| predictor (backlog) | events/batch | read s | compute s | produce s | commit s | errors |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      ([name, { phases }]) =>
        `| ${name} | ${fixed(phases.meanBatchEvents, 0)} | ${fixed(phases.readSeconds, 2)} | ` +
        `${fixed(phases.computeSeconds, 2)} | ${fixed(phases.produceSeconds, 2)} | ` +
        `${fixed(phases.commitSeconds, 2)} | ${phases.errors} |`,
    ),
  ];
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(digits);
}
