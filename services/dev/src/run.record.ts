import type { ScoredForecast } from './forecast.join.js';

/** A model version taking over: from the first prediction it made. */
export interface Swap {
  /** Seconds since the run started, by the event time of the first event the new version saw. */
  readonly at: number;
  /** The version that served before, or null for the first one. */
  readonly from: number | null;
  readonly to: number;
}

/** Mean absolute error of one version over one time bin. */
export interface ErrorBin {
  /** Bin start, seconds since the run started. */
  readonly at: number;
  readonly version: number;
  readonly meanAbsoluteError: number;
  readonly count: number;
}

/** One forecast of a tracked key next to the value it forecast. */
export interface TrackedPoint {
  /** Seconds since the run started (event time of the forecast event). */
  readonly at: number;
  readonly actual: number;
  readonly forecast: number;
  readonly version: number;
}

interface Running {
  sum: number;
  count: number;
}

/**
 * What the report is drawn from, built from the output stream as it is read: the order in which
 * versions served, online error per version overall and per time bin, and every forecast of a
 * few tracked keys.
 */
export class RunRecord {
  private readonly swapList: Swap[] = [];
  private readonly perVersion = new Map<number, Running>();
  private readonly bins = new Map<string, Running & { at: number; version: number }>();
  private readonly tracked = new Map<string, TrackedPoint[]>();
  private startMs = 0;

  /**
   * @param trackedCount how many keys keep every forecast for the actual-vs-predicted plot:
   *   the first ones scored.
   * @param binSeconds width of the online-error bins, seconds.
   */
  constructor(
    private readonly trackedCount: number,
    private readonly binSeconds: number,
  ) {}

  /** Sets the run's clock: times are seconds since `epochMs` (when the traffic started). */
  start(epochMs: number): void {
    this.startMs = epochMs;
  }

  /** A prediction was read: a version seen for the first time is a swap. */
  predicted(version: number, eventTime: number): void {
    const last = this.swapList.at(-1);
    if (last !== undefined && (last.to === version || this.servedBefore(version))) return;
    this.swapList.push({ at: this.seconds(eventTime), from: last?.to ?? null, to: version });
  }

  scored(scored: ScoredForecast): void {
    const error = Math.abs(scored.forecast - scored.actual);
    add(this.perVersion, scored.version, error);
    const at = this.seconds(scored.eventTime);
    const binStart = Math.floor(at / this.binSeconds) * this.binSeconds;
    const binKey = `${scored.version}@${binStart}`;
    const bin = this.bins.get(binKey) ?? {
      at: binStart,
      version: scored.version,
      sum: 0,
      count: 0,
    };
    bin.sum += error;
    bin.count += 1;
    this.bins.set(binKey, bin);
    if (!this.tracked.has(scored.key) && this.tracked.size < this.trackedCount) {
      this.tracked.set(scored.key, []);
    }
    this.tracked.get(scored.key)?.push({
      at,
      actual: scored.actual,
      forecast: scored.forecast,
      version: scored.version,
    });
  }

  /** Versions in the order they started serving (the first is the initial model). */
  versions(): number[] {
    return this.swapList.map((swap) => swap.to);
  }

  /** Version changes after the first version; `from` is never null here. */
  swaps(): Swap[] {
    return this.swapList.slice(1);
  }

  /** Mean absolute online error and forecasts scored, per version. */
  onlineError(): Map<number, { mean: number; count: number }> {
    return new Map(
      [...this.perVersion].map(([version, { sum, count }]) => [
        version,
        { mean: sum / count, count },
      ]),
    );
  }

  errorBins(): ErrorBin[] {
    return [...this.bins.values()]
      .map(({ at, version, sum, count }) => ({
        at,
        version,
        meanAbsoluteError: sum / count,
        count,
      }))
      .sort((a, b) => a.at - b.at || a.version - b.version);
  }

  trackedKeys(): Map<string, readonly TrackedPoint[]> {
    return new Map(this.tracked);
  }

  private servedBefore(version: number): boolean {
    return this.swapList.some((swap) => swap.to === version);
  }

  private seconds(epochMs: number): number {
    return (epochMs - this.startMs) / 1000;
  }
}

function add<K>(map: Map<K, Running>, key: K, value: number): void {
  const running = map.get(key) ?? { sum: 0, count: 0 };
  running.sum += value;
  running.count += 1;
  map.set(key, running);
}
