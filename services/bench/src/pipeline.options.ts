import { availableParallelism } from 'node:os';
import { z } from '@rnnflow/config';
import { BenchOptionError } from './bench.errors.js';

/** Which delivery modes of the predictor a run measures. */
export type DeliveryChoice = 'at-least-once' | 'exactly-once' | 'both';
export type DeliveryMode = Exclude<DeliveryChoice, 'both'>;

/** Everything `rnnflow bench pipeline` can be told; see {@link parsePipelineOptions}. */
export interface PipelineOptions {
  /** Distinct entity keys the backlog events cycle through. */
  keys: number;
  /** Events each backlog contender (predictor, passthrough) processes. */
  events: number;
  /** LSTM units U. */
  units: number;
  /** Features per event I. */
  features: number;
  /** Partitions of every topic. */
  partitions: number;
  /** Partition batches the passthrough and naive baselines handle at once. */
  partitionsConcurrently: number;
  /** Events the naive per-event pipeline processes (it is slow: a slice of `events`). */
  naiveEvents: number;
  /** Records per produce request of the small-request backlog (the other one uses ~1 MiB). */
  smallRequestRecords: number;
  delivery: DeliveryChoice;
  /** Distinct keys of the live phase's steady stream. */
  liveKeys: number;
  /** Length of each live window at a fixed rate, seconds. */
  liveSeconds: number;
  /** Length of each window of the sustainable-rate search, seconds. */
  searchSeconds: number;
  /** Bisection steps of that search after the doubling. */
  searchBisections: number;
  /**
   * Processes of the multi-process predictor contender (`rnnflow predictor --workers`); 1 skips
   * it. Default: one per core.
   */
  workers: number;
  /**
   * Predictor settings given on purpose (flag name → value), for experiments; empty in a
   * benchmark run, which measures the defaults. The report lists them.
   */
  predictorSettings: Record<string, string>;
  /** Also write the JSON result to this file. */
  jsonFile?: string;
}

/** The issue's benchmark: 10k keys, LSTM U = 64, I = 8, 200k events; a 1000-key live stream. */
export const FULL_PRESET = {
  keys: 10_000,
  events: 200_000,
  units: 64,
  features: 8,
  partitions: 6,
  partitionsConcurrently: 3,
  naiveEvents: 5_000,
  smallRequestRecords: 2_000,
  delivery: 'both',
  liveKeys: 1_000,
  liveSeconds: 10,
  searchSeconds: 6,
  searchBisections: 3,
  workers: 'auto',
} as const satisfies Omit<PipelineOptions, 'jsonFile' | 'workers' | 'predictorSettings'> & {
  workers: 'auto';
};

/** `--quick`: the same shape, small enough for a smoke test. */
export const QUICK_PRESET = {
  ...FULL_PRESET,
  keys: 1_000,
  events: 20_000,
  naiveEvents: 1_000,
  liveSeconds: 3,
  searchSeconds: 2,
  searchBisections: 1,
} as const satisfies Omit<PipelineOptions, 'jsonFile' | 'workers' | 'predictorSettings'> & {
  workers: 'auto';
};

/** Raw flag values as the CLI hands them over (strings, undefined when not given). */
export type RawPipelineOptions = Partial<
  Record<Exclude<keyof PipelineOptions, 'predictorSettings'>, string>
> & {
  quick?: boolean;
  /** `name=value` each. */
  predictorSettings?: readonly string[];
};

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  keys: count(1, 10_000_000),
  events: count(1, 100_000_000),
  units: count(1, 1024),
  features: count(1, 1024),
  partitions: count(1, 256),
  partitionsConcurrently: count(1, 256),
  naiveEvents: count(1, 100_000_000),
  smallRequestRecords: count(1, 1_000_000),
  delivery: z.enum(['at-least-once', 'exactly-once', 'both']),
  liveKeys: count(1, 10_000_000),
  liveSeconds: z.coerce.number().positive().max(3600),
  searchSeconds: z.coerce.number().positive().max(3600),
  searchBisections: count(0, 10),
  workers: z
    .union([z.literal('auto'), count(1, 64)])
    .transform((workers) => (workers === 'auto' ? availableParallelism() : workers)),
  predictorSettings: z.array(
    z
      .string()
      .regex(/^[a-z][a-z0-9-]*=.*$/, 'expected name=value, e.g. fetch-max-wait-ms=10')
      .transform((setting) => {
        const at = setting.indexOf('=');
        return [setting.slice(0, at), setting.slice(at + 1)] as const;
      }),
  ),
  jsonFile: z.string().min(1).optional(),
});

/**
 * Options from flags over the preset (`--quick` or the full benchmark).
 * @throws BenchOptionError naming every bad flag.
 */
export function parsePipelineOptions(raw: RawPipelineOptions): PipelineOptions {
  const { quick, ...flags } = raw;
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({
    ...(quick ? QUICK_PRESET : FULL_PRESET),
    predictorSettings: [],
    ...given,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `--${kebab(String(issue.path[0]))}: ${issue.message}`,
    );
    throw new BenchOptionError(`bad benchmark options: ${problems.join('; ')}`);
  }
  const options = parsed.data;
  if (options.keys > options.events) {
    throw new BenchOptionError(
      `--keys (${options.keys}) must not exceed --events (${options.events})`,
    );
  }
  return {
    ...options,
    naiveEvents: Math.min(options.naiveEvents, options.events),
    predictorSettings: Object.fromEntries(options.predictorSettings),
  };
}

/** The delivery modes a choice stands for, at-least-once first. */
export function deliveryModes(choice: DeliveryChoice): DeliveryMode[] {
  return choice === 'both' ? ['at-least-once', 'exactly-once'] : [choice];
}

function kebab(name: string): string {
  // The one repeatable flag is named in the singular.
  if (name === 'predictorSettings') return 'predictor-setting';
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
