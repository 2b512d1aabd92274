import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@rnnflow/logging';
import { RatePacer } from '@rnnflow/simulator';
import type { OutgoingMessage, StreamProducer } from '@rnnflow/stream';
import type { BenchStack } from './bench.stack.js';
import { eventValue, keyName, seededRandom } from './bench.workload.js';
import { summarizeLatency, type LatencySummary } from './percentiles.js';
import { checkAlive } from './contender.limits.js';
import { startDownstreamReader } from './downstream.reader.js';
import { startBenchPredictor, type BenchPredictorOptions } from './predictor.contender.js';
import type { PhaseProgress } from './progress.display.js';

/**
 * The paced producer sends once per tick, like a producer lingering this long. The embedded mock
 * broker answers a fetch with at most one produced batch per partition, so sending every record
 * on its own would cap any consumer at a few records per partition per fetch.
 */
const TICK_MS = 50;
/** Events sent before the window, one per key up to this many, so both groups have joined. */
const WARMUP_EVENTS = 200;

export interface LatencyOptions extends BenchPredictorOptions {
  /** Input rate, events/s. */
  rate: number;
  seconds: number;
  keys: number;
  features: number;
}

export interface LatencyResult extends LatencySummary {
  /** The rate asked for, events/s. */
  targetRate: number;
  /** The rate the paced producer reached, events/s. */
  achievedRate: number;
}

/**
 * End-to-end latency of a running predictor at a fixed input rate: for each prediction, the
 * time a downstream read_committed consumer (kcat, see `startDownstreamReader`) handed it to
 * this process minus its input record's timestamp (set when the paced producer sent it). Only
 * events of the paced window count; a warm-up before it lets the predictor join its group.
 */
export async function measureLatency(
  stack: BenchStack,
  options: LatencyOptions,
  logger: Logger,
  progress: PhaseProgress,
  signal: AbortSignal,
): Promise<LatencyResult> {
  const predictor = await startBenchPredictor(stack, options, logger);
  const producer = stack.kafka.producer();
  const disconnect = stack.own(() => producer.disconnect());
  const samples: number[] = [];
  let received = 0;
  let windowStartMs = Infinity;
  const reader = await startDownstreamReader(stack.brokers, options.topics.output, (value) => {
    const { ts } = JSON.parse(value) as { ts: number };
    if (ts >= windowStartMs) samples.push(Date.now() - ts);
    received += 1;
  });
  const stopReader = stack.own(() => reader.stop());
  try {
    const events = eventSource(options.keys, options.features);
    const warmup = Math.min(WARMUP_EVENTS, options.keys);
    await producer.sendBatch([{ topic: options.topics.input, messages: events(warmup) }]);
    await waitFor(() => received, warmup, signal, 'latency warm-up');

    windowStartMs = Date.now();
    const { sent, seconds } = await producePaced(producer, options, events, progress, signal);
    const achievedRate = sent / seconds;
    await waitFor(() => received, warmup + sent, signal, 'latency phase');
    return {
      targetRate: options.rate,
      achievedRate,
      ...summarizeLatency(Float64Array.from(samples)),
    };
  } finally {
    await stopReader();
    await predictor.stop();
    await disconnect();
  }
}

/** Sends at `options.rate` for `options.seconds`, once per tick; returns the records sent and the time to the last send. */
async function producePaced(
  producer: StreamProducer,
  options: LatencyOptions,
  events: (count: number) => OutgoingMessage[],
  progress: PhaseProgress,
  signal: AbortSignal,
): Promise<{ sent: number; seconds: number }> {
  const planned = Math.floor(options.rate * options.seconds);
  // A producer that fell behind (a slow broker) catches up in batches of up to 4 ticks' worth.
  const pacer = new RatePacer(
    options.rate,
    planned,
    Math.max(1, Math.ceil((options.rate * TICK_MS * 4) / 1000)),
  );
  const started = performance.now();
  let sent = 0;
  let lastSentAt = started;
  while (!pacer.done(sent)) {
    checkAlive(signal, 0, 'latency producer', sent);
    const elapsed = performance.now() - started;
    const due = pacer.due(elapsed, sent);
    if (due > 0) {
      await producer.sendBatch([{ topic: options.topics.input, messages: events(due) }]);
      sent += due;
      lastSentAt = performance.now();
      progress.update(sent);
    }
    await sleep(TICK_MS - ((performance.now() - started) % TICK_MS));
  }
  return { sent, seconds: Math.max(lastSentAt - started, 1) / 1000 };
}

/** Makes the next `count` input records, cycling through the keys, stamped with the time now. */
function eventSource(keys: number, features: number): (count: number) => OutgoingMessage[] {
  const random = seededRandom(23);
  let next = 0;
  return (count) => {
    const timestamp = Date.now();
    return Array.from({ length: count }, () => ({
      key: keyName(next++ % keys),
      value: eventValue(random, features),
      timestamp,
    }));
  };
}

async function waitFor(
  current: () => number,
  target: number,
  signal: AbortSignal,
  what: string,
): Promise<void> {
  let last = current();
  let lastProgressAt = performance.now();
  while (current() < target) {
    const now = performance.now();
    if (current() !== last) [last, lastProgressAt] = [current(), now];
    checkAlive(signal, now - lastProgressAt, what, last);
    await sleep(10);
  }
}
