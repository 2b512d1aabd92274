import type { LatencyResult } from './latency.phase.js';
import type { DeliveryMode, PipelineOptions } from './pipeline.options.js';
import type { PredictorThroughput } from './predictor.contender.js';
import type { Throughput } from './throughput.js';

/** The targets, at-least-once: predictor ≥ 50 % of passthrough and ≥ 15× naive. */
export const TARGETS = { vsPassthrough: 0.5, vsNaive: 15 } as const;

/** A predictor's throughput against the baselines of the same run. */
export interface ComparedThroughput extends PredictorThroughput {
  /** Predictor events/s over passthrough events/s. */
  vsPassthrough: number;
  /** Predictor events/s over naive events/s (the naive pipeline with as many partitions at once). */
  vsNaive: number;
  /** Predictor events/s over the one-partition-at-a-time naive pipeline's events/s. */
  vsNaiveSequential: number;
}

export interface PredictorResult extends ComparedThroughput {
  latency: LatencyResult;
}

/** The multi-process predictor (`rnnflow predictor --workers`), against the same baselines. */
export interface WorkersResult {
  processes: number;
  predictor: Partial<Record<DeliveryMode, ComparedThroughput>>;
}

export interface Baselines {
  passthrough: Throughput;
  naive: Throughput;
  naiveSequential: Throughput;
}

export interface TargetResult {
  name: string;
  goal: number;
  measured: number;
  met: boolean;
}

/** What `rnnflow bench pipeline` prints as its JSON line. */
export interface PipelineResult {
  options: Omit<PipelineOptions, 'jsonFile'>;
  passthrough: Throughput;
  /** The naive pipeline with the predictor's partitions at once: the baseline of the target. */
  naive: Throughput;
  /** The naive pipeline one partition at a time, as a default kafkajs consumer runs. */
  naiveSequential: Throughput;
  /** The predictor in this process: one Node thread, like every baseline. */
  predictor: Partial<Record<DeliveryMode, PredictorResult>>;
  /** Absent when the run had `--workers 1`. */
  workers?: WorkersResult;
  targets: TargetResult[];
}

/** A predictor's figures against the baselines measured in the same run. */
export function predictorResult(
  measured: PredictorThroughput,
  latency: LatencyResult,
  baselines: Baselines,
): PredictorResult {
  return { ...compared(measured, baselines), latency };
}

/** A predictor's throughput over each baseline's. */
export function compared(measured: PredictorThroughput, baselines: Baselines): ComparedThroughput {
  return {
    ...measured,
    vsPassthrough: measured.eventsPerSecond / baselines.passthrough.eventsPerSecond,
    vsNaive: measured.eventsPerSecond / baselines.naive.eventsPerSecond,
    vsNaiveSequential: measured.eventsPerSecond / baselines.naiveSequential.eventsPerSecond,
  };
}

/**
 * The targets, judged on the at-least-once predictor in this process and, when measured, on
 * the multi-process one (none without an at-least-once run).
 */
export function judgeTargets(
  predictor: PipelineResult['predictor'],
  workers?: WorkersResult,
): TargetResult[] {
  const judged: [string, ComparedThroughput | undefined][] = [
    ['at-least-once predictor', predictor['at-least-once']],
    [
      `at-least-once predictor, ${workers?.processes} processes`,
      workers?.predictor['at-least-once'],
    ],
  ];
  return judged.flatMap(([name, figures]) =>
    figures === undefined
      ? []
      : [
          target(`${name} / passthrough`, TARGETS.vsPassthrough, figures.vsPassthrough),
          target(`${name} / naive`, TARGETS.vsNaive, figures.vsNaive),
        ],
  );
}

function target(name: string, goal: number, measured: number): TargetResult {
  return { name, goal, measured, met: measured >= goal };
}

/** Markdown tables: contenders, predictor phases, targets. */
export function renderTables(result: PipelineResult): string {
  const { options } = result;
  const predictors = Object.entries(result.predictor) as [DeliveryMode, PredictorResult][];
  const workers = result.workers;
  const multiProcess = Object.entries(workers?.predictor ?? {}).map(
    ([mode, figures]): [string, ComparedThroughput] => [
      `predictor ${mode}, ${workers?.processes} processes`,
      figures,
    ],
  );
  const lines = [
    `Pipeline benchmark: ${options.keys} keys, LSTM U = ${options.units}, I = ${options.features}, ` +
      `${options.partitions} partitions (${options.partitionsConcurrently} at once), embedded broker + Redis; ` +
      `at-least-once predictors produce with ${options.kafkaProducer}`,
    '',
    '| contender | events | seconds | events/s | predictor ÷ this | latency rate (ev/s) | p50 ms | p99 ms |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    row(
      'passthrough (consume → produce)',
      result.passthrough,
      ratiosOf(predictors, 'vsPassthrough', workers),
    ),
    row(
      `naive (per event, ${options.partitionsConcurrently} partitions at once)`,
      result.naive,
      ratiosOf(predictors, 'vsNaive', workers),
    ),
    row(
      'naive (per event, 1 partition at a time)',
      result.naiveSequential,
      ratiosOf(predictors, 'vsNaiveSequential', workers),
    ),
    ...predictors.map(([mode, figures]) =>
      [
        `| predictor ${mode} | ${figures.events} | ${fixed(figures.seconds, 2)} | ${fixed(figures.eventsPerSecond, 0)} | – `,
        `| ${fixed(figures.latency.achievedRate, 0)} | ${fixed(figures.latency.p50Ms, 1)} | ${fixed(figures.latency.p99Ms, 1)} |`,
      ].join(''),
    ),
    ...multiProcess.map(
      ([name, figures]) =>
        `| ${name} | ${figures.events} | ${fixed(figures.seconds, 2)} | ${fixed(figures.eventsPerSecond, 0)} | – | – | – | – |`,
    ),
    '',
    '| predictor | events/batch | read s | compute s | produce s | commit s | errors |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...[...predictors, ...multiProcess].map(
      ([name, { phases }]) =>
        `| ${name} | ${fixed(phases.meanBatchEvents, 0)} | ${fixed(phases.readSeconds, 2)} | ` +
        `${fixed(phases.computeSeconds, 2)} | ${fixed(phases.produceSeconds, 2)} | ` +
        `${fixed(phases.commitSeconds, 2)} | ${phases.errors} |`,
    ),
  ];
  if (result.targets.length > 0) {
    lines.push('', '| target | goal | measured | |', '|---|--:|--:|---|');
    for (const t of result.targets) {
      lines.push(
        `| ${t.name} | ≥ ${t.goal} | ${fixed(t.measured, 2)} | ${t.met ? 'met' : 'MISSED'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function ratiosOf(
  predictors: [DeliveryMode, ComparedThroughput][],
  field: 'vsPassthrough' | 'vsNaive' | 'vsNaiveSequential',
  workers: WorkersResult | undefined,
): string {
  const multiProcess = Object.entries(workers?.predictor ?? {}) as [
    DeliveryMode,
    ComparedThroughput,
  ][];
  return [
    ...predictors.map(([mode, figures]) => `${fixed(figures[field], 2)} (${short(mode)})`),
    ...multiProcess.map(
      ([mode, figures]) => `${fixed(figures[field], 2)} (${short(mode)} ×${workers?.processes})`,
    ),
  ].join(', ');
}

function row(name: string, figures: Throughput, ratios: string): string {
  return `| ${name} | ${figures.events} | ${fixed(figures.seconds, 2)} | ${fixed(figures.eventsPerSecond, 0)} | ${ratios || '–'} | – | – | – |`;
}

function short(mode: DeliveryMode): string {
  return mode === 'at-least-once' ? 'ALO' : 'EOS';
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}
