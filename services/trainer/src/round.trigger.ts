/** When rounds run: after N new events, or T seconds after the previous round. */
export interface RoundTriggerOptions {
  /** New events that start a round; 0 turns the count off. */
  readonly everyEvents: number;
  /** Seconds after the previous round (or the start) that start one if any event came; 0: off. */
  readonly everySeconds: number;
}

/**
 * Decides when the next round is due. A round never runs without new events since the previous
 * one (the same data would only train the same model again). Pure: the caller passes the time.
 */
export class RoundTrigger {
  private newEvents = 0;
  private lastRoundAt: number;

  /** @param now ms, the start of the first period. */
  constructor(
    private readonly options: RoundTriggerOptions,
    now: number,
  ) {
    if (options.everyEvents === 0 && options.everySeconds === 0) {
      throw new RangeError('a round trigger needs an event count or a period (both are 0)');
    }
    this.lastRoundAt = now;
  }

  /** Counts events buffered since the last round. */
  eventsBuffered(count: number): void {
    this.newEvents += count;
  }

  /** Events buffered since the last round started. */
  get pendingEvents(): number {
    return this.newEvents;
  }

  /** Whether a round is due at `now` (ms). */
  due(now: number): boolean {
    if (this.newEvents === 0) return false;
    const { everyEvents, everySeconds } = this.options;
    if (everyEvents > 0 && this.newEvents >= everyEvents) return true;
    return everySeconds > 0 && now - this.lastRoundAt >= everySeconds * 1000;
  }

  /** A round starts at `now` with the events buffered so far; counting starts again. */
  roundStarted(now: number): void {
    this.newEvents = 0;
    this.lastRoundAt = now;
  }
}
