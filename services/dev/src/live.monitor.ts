import type { Metrics } from '@rnnflow/metrics';
import type { RoundLog, RoundRecord } from '@rnnflow/trainer';
import type { LiveStatus } from './live.status.js';
import type { LatencyPercentiles } from './latency.histogram.js';
import { readPredictor } from './predictor.reading.js';
import type { TapCounts } from './stream.tap.js';

/** Where the monitor looks each second. */
export interface MonitorSources {
  /** Records read so far from each topic. */
  counts(): TapCounts;
  /** Versions in the order they served. */
  versions(): number[];
  /** The version the predictor serves now. */
  serving(): number;
  /** Online error per version from the output stream joined with the input. */
  streamOnlineError(): ReadonlyMap<number, { mean: number }>;
  /** The registry of the predictor this process hosts. */
  readonly predictorMetrics: Metrics;
  readonly roundLog: RoundLog;
  readonly model: string;
  /** Epoch ms the traffic started. */
  readonly startMs: number;
  readonly durationSeconds?: number;
}

const REFRESH_MS = 1000;

/**
 * Samples the running system once a second for the live view, and keeps what the summary needs
 * from those samples: the largest lag, the best input rate, the latest online errors and rounds.
 */
export class LiveMonitor {
  lagMax = 0;
  peakEventsPerSecond = 0;
  onlineError: ReadonlyMap<number, number> = new Map();
  /** Prediction latency over the run so far, from the predictor's histogram. */
  latency: LatencyPercentiles | undefined;
  rounds: readonly RoundRecord[] = [];
  private previous = { at: 0, events: 0, predictions: 0 };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly sources: MonitorSources,
    private readonly show: (status: LiveStatus) => void,
  ) {}

  start(): void {
    // Records read before the first refresh (while the trainer started) are not a burst.
    const { events, predictions } = this.sources.counts();
    this.previous = { at: performance.now(), events, predictions };
    this.timer = setInterval(() => {
      this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
    }, REFRESH_MS);
  }

  /** Stops refreshing the view. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private async refresh(): Promise<void> {
    const now = performance.now();
    const counts = this.sources.counts();
    const seconds = (now - this.previous.at) / 1000;
    const eventsPerSecond = (counts.events - this.previous.events) / seconds;
    const predictionsPerSecond = (counts.predictions - this.previous.predictions) / seconds;
    this.previous = { at: now, events: counts.events, predictions: counts.predictions };
    const lag = Math.max(0, counts.events - counts.predictions);
    this.lagMax = Math.max(this.lagMax, lag);
    this.peakEventsPerSecond = Math.max(this.peakEventsPerSecond, eventsPerSecond);
    await this.readServices();
    this.show({
      elapsedSeconds: (Date.now() - this.sources.startMs) / 1000,
      durationSeconds: this.sources.durationSeconds,
      eventsPerSecond,
      predictionsPerSecond,
      lag,
      events: counts.events,
      predictions: counts.predictions,
      deadLettered: counts.deadLettered,
      serving: this.sources.serving(),
      versions: this.sources.versions(),
      onlineError: this.mergedOnlineError(),
      rounds: this.rounds,
    });
  }

  /**
   * The predictor's figures, and the stream's for versions the predictor no longer reports (it
   * keeps its last few): both score the same forecasts against the same next events.
   */
  private mergedOnlineError(): Map<number, number> {
    const merged = new Map<number, number>();
    for (const [version, { mean }] of this.sources.streamOnlineError()) merged.set(version, mean);
    for (const [version, mean] of this.onlineError) merged.set(version, mean);
    return merged;
  }

  /**
   * Reads the predictor's online errors and latency and the trainer's rounds (again at the end,
   * while the services still run). A failed read keeps the previous values: the view must not
   * stop over one slow Redis call.
   */
  async readServices(): Promise<void> {
    const [predictor, rounds] = await Promise.allSettled([
      readPredictor(this.sources.predictorMetrics),
      this.sources.roundLog.recent(this.sources.model),
    ]);
    if (predictor.status === 'fulfilled') {
      this.onlineError = predictor.value.onlineError;
      this.latency = predictor.value.latency ?? this.latency;
    }
    if (rounds.status === 'fulfilled') this.rounds = [...rounds.value].reverse();
  }
}
