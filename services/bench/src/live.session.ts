import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchStack, ContenderTopics } from './bench.stack.js';
import { END_TO_END_METRIC, type CumulativeBuckets } from '@rnnflow/metrics';
import { checkAlive } from './contender.limits.js';
import { histogramBuckets, histogramWindow, type HistogramWindow } from './histogram.delta.js';
import { scrapeMetrics } from './metrics.probe.js';
import { startDownstreamReader } from './downstream.reader.js';
import { startFloorProcess } from './floor.process.js';
import { slope, summarizeLatency, type LatencySummary } from './percentiles.js';
import type { DeliveryMode } from './pipeline.options.js';
import { startPredictorProcess } from './predictor.process.js';
import { SteadyProducer } from './steady.producer.js';

/** Who serves a live session: the plain kafkajs floor service, or the predictor in a mode. */
export type LiveContender = 'floor' | DeliveryMode;

/** One steady window of a live session. */
export interface LiveWindow extends LatencySummary {
  /** The rate asked for, events/s. */
  targetRate: number;
  /** The rate the steady producer reached, events/s. */
  achievedRate: number;
  /** Events sent in the window. */
  events: number;
  /** Least-squares slope of the lag (sent − read downstream) over the window, events/s. */
  lagGrowthPerSecond: number;
  maxLag: number;
  /** Events of the window not read downstream by the end of the drain. */
  undelivered: number;
  /** The lag passed its bound and the window was cut short. */
  stoppedEarly: boolean;
  /**
   * The longest event-loop stall of this (the measuring) process in the window, ms: arrivals are
   * timed here, so a stall here delays every latency measured across it.
   */
  benchStallMs: number;
  /**
   * Exactly-once only: the predictor's own end-to-end histogram over the window, observed when
   * each prediction's transaction committed. The embedded broker does not hold uncommitted
   * records back from read_committed readers (its fetch answers a last stable offset equal to
   * the high watermark), so the reader above sees them when produced; a read_committed reader
   * on Kafka sees them no earlier than this.
   */
  committed: HistogramWindow | null;
}

/**
 * Exactly-once predictions reach a read_committed reader when their transaction commits, which
 * the predictor batches over a commit interval (default ≤ 100 ms): its bound is that interval
 * + 50 ms, the target for such a reader.
 */
export const EXACTLY_ONCE_P99_BOUND_MS = 150;
/** How long after the last prediction arrived its transaction has surely committed, ms. */
const COMMIT_SETTLE_MS = 500;

/** What a session needs besides the stack. */
export interface LiveSessionOptions {
  model: string;
  keys: number;
  features: number;
  /** Predictor settings given on purpose; empty measures the defaults. */
  predictorSettings: Readonly<Record<string, string>>;
  rnnflowEntry: string;
  logLevel: string;
  signal: AbortSignal;
}

/** Events sent before the first window, one per key up to this many, so every partition flows. */
const WARMUP_EVENTS = 200;
/** How long a window's last events may take to arrive once the window is over. */
const DRAIN_MS = 5000;
/** A window stops early once the lag exceeds this many seconds of input (and 500 events). */
const EARLY_STOP_LAG_SECONDS = 1;
const LAG_SAMPLE_MS = 100;

/**
 * A contender on fresh topics, fed by a steady producer and read downstream by kcat; it serves
 * windows one after another for as long as each drains (a window that did not leaves a backlog,
 * and the caller opens a new session).
 */
export class LiveSession {
  private received = 0;
  private window: { startMs: number; samples: number[] } | undefined;
  private clean = true;

  private constructor(
    private readonly producer: SteadyProducer,
    private readonly close: () => Promise<void>,
    private readonly signal: AbortSignal,
    /** Reads the exactly-once predictor's end-to-end histogram; absent for other contenders. */
    private readonly commitProbe: (() => Promise<CumulativeBuckets>) | undefined,
  ) {}

  /** Starts `contender` on new topics, then a warm-up that waits for its predictions. */
  static async open(
    stack: BenchStack,
    contender: LiveContender,
    options: LiveSessionOptions,
  ): Promise<LiveSession> {
    const topics = await stack.freshTopics(contender === 'floor' ? 'floor' : `live-${contender}`);
    const closers: (() => Promise<void>)[] = [];
    const close = async () => {
      for (const closer of closers.splice(0).reverse()) await closer();
    };
    try {
      const started = await startContender(stack, contender, topics, options);
      closers.push(started.stop);
      const kafkaProducer = stack.kafka.producer();
      closers.push(stack.own(() => kafkaProducer.disconnect()));
      const producer = new SteadyProducer(kafkaProducer, topics.input, options);
      const port = contender === 'exactly-once' ? started.metricsPort : undefined;
      const probe =
        port === undefined
          ? undefined
          : async () => histogramBuckets(await scrapeMetrics(port), END_TO_END_METRIC);
      const session = new LiveSession(producer, close, options.signal, probe);
      const reader = await startDownstreamReader(stack.brokers, topics.output, (value) =>
        session.read(value),
      );
      closers.push(stack.own(() => reader.stop()));
      const warmup = Math.min(WARMUP_EVENTS, options.keys);
      await producer.burst(warmup);
      await session.until(() => session.received >= warmup, Infinity, 'live warm-up');
      return session;
    } catch (error) {
      await close();
      throw error;
    }
  }

  /** True while every window so far drained: the next one starts without a backlog. */
  get drained(): boolean {
    return this.clean;
  }

  /** Sends `rate` events/s for `seconds` and measures what arrives downstream. */
  async measure(rate: number, seconds: number): Promise<LiveWindow> {
    const window = { startMs: Date.now(), samples: [] as number[] };
    this.window = window;
    const started = performance.now();
    const times: number[] = [];
    const lags: number[] = [];
    let maxLag = 0;
    let stoppedEarly = false;
    const lagBound = Math.max(500, rate * EARLY_STOP_LAG_SECONDS);
    const committedBefore = await this.commitProbe?.();
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const sampler = setInterval(() => {
      const lag = this.producer.total - this.received;
      times.push((performance.now() - started) / 1000);
      lags.push(lag);
      maxLag = Math.max(maxLag, lag);
      if (lag > lagBound) stoppedEarly = true;
    }, LAG_SAMPLE_MS);
    let sent: { sent: number; seconds: number };
    try {
      sent = await this.producer.steady(rate, seconds, () => stoppedEarly || this.signal.aborted);
      checkAlive(this.signal, 0, 'live window', sent.sent);
      if (!stoppedEarly) {
        await this.until(() => window.samples.length >= sent.sent, DRAIN_MS, 'live drain');
      }
    } finally {
      clearInterval(sampler);
      stalls.disable();
      this.window = undefined;
    }
    const committed = await this.committedSince(committedBefore);
    const undelivered = Math.max(0, sent.sent - window.samples.length);
    if (undelivered > 0 || stoppedEarly) this.clean = false;
    return {
      targetRate: rate,
      achievedRate: sent.sent / sent.seconds,
      events: sent.sent,
      ...summarizeLatency(Float64Array.from(window.samples)),
      lagGrowthPerSecond: slope(times, lags),
      maxLag,
      undelivered,
      stoppedEarly,
      benchStallMs: Math.round(stalls.max / 1e6),
      committed,
    };
  }

  private async committedSince(
    before: CumulativeBuckets | undefined,
  ): Promise<HistogramWindow | null> {
    if (before === undefined || this.commitProbe === undefined) return null;
    await sleep(COMMIT_SETTLE_MS);
    return histogramWindow(before, await this.commitProbe(), EXACTLY_ONCE_P99_BOUND_MS);
  }

  async stop(): Promise<void> {
    await this.close();
  }

  /** A record read downstream: its latency counts when its input was sent in the window. */
  private read(value: string): void {
    this.received += 1;
    const window = this.window;
    if (window === undefined) return;
    const { ts } = JSON.parse(value) as { ts: number };
    if (ts >= window.startMs) window.samples.push(Date.now() - ts);
  }

  /** Polls until `done`, for at most `timeoutMs`; a stall or an abort throws. */
  private async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let last = this.received;
    let lastProgressAt = performance.now();
    while (!done() && performance.now() < deadline) {
      const now = performance.now();
      if (this.received !== last) [last, lastProgressAt] = [this.received, now];
      checkAlive(this.signal, now - lastProgressAt, what, last);
      await sleep(5);
    }
  }
}

function startContender(
  stack: BenchStack,
  contender: LiveContender,
  topics: ContenderTopics,
  options: LiveSessionOptions,
): Promise<{ stop(): Promise<void>; metricsPort?: number }> {
  if (contender === 'floor') return startFloorProcess(stack, topics, options.logLevel);
  return startPredictorProcess(stack, {
    model: options.model,
    topics,
    delivery: contender,
    settings: options.predictorSettings,
    rnnflowEntry: options.rnnflowEntry,
    logLevel: options.logLevel,
  });
}
