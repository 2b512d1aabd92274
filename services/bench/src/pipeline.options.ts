import { availableParallelism } from 'node:os';
import { z } from '@rnnflow/config';
import { BenchOptionError } from './bench.errors.js';

/** Which delivery modes of the predictor a run measures. */
export type DeliveryChoice = 'at-least-once' | 'exactly-once' | 'both';
export type DeliveryMode = Exclude<DeliveryChoice, 'both'>;

/** Everything `rnnflow bench pipeline` can be told; see {@link parsePipelineOptions}. */
export interface PipelineOptions {
  /** Distinct entity keys the events cycle through. */
  keys: number;
  /** Events each throughput contender (predictor, passthrough) processes. */
  events: number;
  /** LSTM units U. */
  units: number;
  /** Features per event I. */
  features: number;
  /** Partitions of every topic. */
  partitions: number;
  /** Partition batches handled at once, the same for every contender. */
  partitionsConcurrently: number;
  /** Events the naive per-event pipeline processes (it is slow: a slice of `events`). */
  naiveEvents: number;
  delivery: DeliveryChoice;
  /** Input rate of the latency phase, events/s; `auto` = 25 % of the mode's measured maximum. */
  latencyRate: number | 'auto';
  /** Length of each latency phase, seconds. */
  latencySeconds: number;
  /**
   * Processes of the multi-process predictor contender (`rnnflow predictor --workers`); 1 skips
   * it. Default: one per core.
   */
  workers: number;
  /** Client the predictors produce with (their `--kafka-producer`); the baselines always use kafkajs. */
  kafkaProducer: 'auto' | 'librdkafka' | 'kafkajs';
  /** Also write the JSON result to this file. */
  jsonFile?: string;
}

/** The issue's benchmark: 10k keys, LSTM U = 64, I = 8, 200k events. */
export const FULL_PRESET = {
  keys: 10_000,
  events: 200_000,
  units: 64,
  features: 8,
  partitions: 6,
  partitionsConcurrently: 3,
  naiveEvents: 5_000,
  delivery: 'both',
  latencyRate: 'auto',
  latencySeconds: 20,
  workers: 'auto',
  kafkaProducer: 'auto',
} as const satisfies Omit<PipelineOptions, 'jsonFile' | 'workers'> & { workers: 'auto' };

/** `--quick`: the same shape, small enough for a smoke test. */
export const QUICK_PRESET = {
  ...FULL_PRESET,
  keys: 1_000,
  events: 20_000,
  naiveEvents: 1_000,
  latencySeconds: 5,
} as const satisfies Omit<PipelineOptions, 'jsonFile' | 'workers'> & { workers: 'auto' };

/** Raw flag values as the CLI hands them over (strings, undefined when not given). */
export type RawPipelineOptions = Partial<Record<keyof PipelineOptions, string>> & {
  quick?: boolean;
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
  delivery: z.enum(['at-least-once', 'exactly-once', 'both']),
  latencyRate: z.union([z.literal('auto'), z.coerce.number().positive()]),
  latencySeconds: z.coerce.number().positive().max(3600),
  workers: z
    .union([z.literal('auto'), count(1, 64)])
    .transform((workers) => (workers === 'auto' ? availableParallelism() : workers)),
  kafkaProducer: z.enum(['auto', 'librdkafka', 'kafkajs']),
  jsonFile: z.string().min(1).optional(),
});

/**
 * Options from flags over the preset (`--quick` or the full benchmark).
 * @throws BenchOptionError naming every bad flag.
 */
export function parsePipelineOptions(raw: RawPipelineOptions): PipelineOptions {
  const { quick, ...flags } = raw;
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ ...(quick ? QUICK_PRESET : FULL_PRESET), ...given });
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
  return { ...options, naiveEvents: Math.min(options.naiveEvents, options.events) };
}

/** The delivery modes a choice stands for, at-least-once first. */
export function deliveryModes(choice: DeliveryChoice): DeliveryMode[] {
  return choice === 'both' ? ['at-least-once', 'exactly-once'] : [choice];
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
