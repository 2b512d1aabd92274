/**
 * Joins what happened with what was forecast. The predictor's output at a key's step `s` is a
 * forecast of the label feature of the key's event `s + 1`; the two arrive on different topics
 * in either order, so each side waits in a small per-key map for the other.
 */

/** One input event as the join sees it: the key's `step`-th event (1-based) and its label. */
export interface ActualValue {
  readonly key: string;
  readonly step: number;
  /** The label feature's value. */
  readonly value: number;
  /** Event time, epoch ms. */
  readonly eventTime: number;
}

/** One prediction as the join sees it: made at the key's `step`, by model `version`. */
export interface ForecastValue {
  readonly key: string;
  readonly step: number;
  readonly version: number;
  /** The output forecasting the label feature of the next event. */
  readonly output: number;
}

/** A forecast next to the value it forecast. */
export interface ScoredForecast {
  readonly key: string;
  /** Step of the event that was forecast (the prediction was made one step before). */
  readonly step: number;
  readonly version: number;
  readonly actual: number;
  readonly forecast: number;
  /** Event time of the forecast event, epoch ms. */
  readonly eventTime: number;
}

interface PendingSides {
  readonly actuals: Map<number, ActualValue>;
  readonly forecasts: Map<number, ForecastValue>;
}

/** Pairs forecasts with the next event of their key; `onScored` gets each pair once. */
export class ForecastJoin {
  private readonly pending = new Map<string, PendingSides>();

  constructor(private readonly onScored: (scored: ScoredForecast) => void) {}

  actual(event: ActualValue): void {
    const sides = this.sidesOf(event.key);
    const forecast = sides.forecasts.get(event.step - 1);
    if (forecast === undefined) {
      sides.actuals.set(event.step, event);
      return;
    }
    sides.forecasts.delete(event.step - 1);
    this.score(forecast, event);
  }

  forecast(prediction: ForecastValue): void {
    const sides = this.sidesOf(prediction.key);
    const actual = sides.actuals.get(prediction.step + 1);
    if (actual === undefined) {
      sides.forecasts.set(prediction.step, prediction);
      return;
    }
    sides.actuals.delete(prediction.step + 1);
    this.score(prediction, actual);
  }

  /** Values still waiting for their other side (a key's first event, the newest forecasts). */
  waiting(): number {
    let count = 0;
    for (const sides of this.pending.values()) count += sides.actuals.size + sides.forecasts.size;
    return count;
  }

  private score(forecast: ForecastValue, actual: ActualValue): void {
    this.onScored({
      key: actual.key,
      step: actual.step,
      version: forecast.version,
      actual: actual.value,
      forecast: forecast.output,
      eventTime: actual.eventTime,
    });
  }

  private sidesOf(key: string): PendingSides {
    let sides = this.pending.get(key);
    if (sides === undefined) {
      sides = { actuals: new Map(), forecasts: new Map() };
      this.pending.set(key, sides);
    }
    return sides;
  }
}
