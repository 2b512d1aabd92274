/** Events a contender delivered, over how long, and the rate. */
export interface Throughput {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** Throughput of `events` delivered in `elapsedMs` milliseconds. */
export function throughputOf(events: number, elapsedMs: number): Throughput {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds };
}
