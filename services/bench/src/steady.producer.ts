import { setTimeout as sleep } from 'node:timers/promises';
import { RatePacer } from '@rnnflow/pacing';
import type { OutgoingMessage, StreamProducer } from '@rnnflow/stream';
import { eventValue, keyName, signedUniforms } from './bench.workload.js';

/**
 * A steady stream is sent as real producers send it: every tick, one produce request with the
 * events due by then (a producer lingering this long), keys spread over the partitions by the
 * default partitioner. The embedded mock broker answers a fetch with at most one produced batch
 * per partition, so this pattern — many small batches — is what a consumer must keep up with.
 */
const TICK_MS = 5;
/** Requests awaiting their acknowledgement at once (Kafka producers' default in-flight bound). */
const IN_FLIGHT = 5;

/** What a steady window sent. */
export interface SteadySend {
  /** Events sent, each stamped with the time its request was built. */
  sent: number;
  /** From the window's start to the last request, seconds. */
  seconds: number;
}

/**
 * Sends input events (`{"features": number[I]}`, cycling through `keys` keys) at a steady rate.
 * `total` counts every event sent over its life, which a caller compares with what arrived
 * downstream to know the lag.
 */
export class SteadyProducer {
  total = 0;
  private next = 0;
  private readonly random = signedUniforms(23);
  private failure: unknown;

  constructor(
    private readonly producer: StreamProducer,
    private readonly topic: string,
    private readonly workload: { keys: number; features: number },
  ) {}

  /** Sends `count` events at once (a warm-up), resolving when they are acknowledged. */
  async burst(count: number): Promise<void> {
    const messages = this.events(count);
    await this.producer.sendBatch([{ topic: this.topic, messages }]);
    this.total += count;
  }

  /**
   * Sends `rate` events/s for `seconds`, or until `stop()` says so (checked every tick).
   * A request that fails fails the window.
   */
  async steady(rate: number, seconds: number, stop: () => boolean): Promise<SteadySend> {
    // No cap on a catch-up: a request carries every event due by its tick.
    const pacer = new RatePacer(rate, Math.floor(rate * seconds), Infinity);
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    let lastAt = started;
    while (!pacer.done(sent) && !stop()) {
      if (this.failure !== undefined) throw this.failure;
      const elapsed = performance.now() - started;
      const due = pacer.due(elapsed, sent);
      if (due > 0 && inFlight.size < IN_FLIGHT) {
        const request = this.send(due).finally(() => inFlight.delete(request));
        inFlight.add(request);
        sent += due;
        lastAt = performance.now();
      }
      await sleep(TICK_MS - ((performance.now() - started) % TICK_MS));
    }
    await Promise.all(inFlight);
    if (this.failure !== undefined) throw this.failure;
    return { sent, seconds: Math.max(lastAt - started, 1) / 1000 };
  }

  private async send(count: number): Promise<void> {
    this.total += count;
    try {
      await this.producer.sendBatch([{ topic: this.topic, messages: this.events(count) }]);
    } catch (error) {
      this.failure ??= error;
    }
  }

  /** The next `count` events, stamped with the time now. */
  private events(count: number): OutgoingMessage[] {
    const timestamp = Date.now();
    const { keys, features } = this.workload;
    return Array.from({ length: count }, () => ({
      key: keyName(this.next++ % keys),
      value: eventValue(this.random, features),
      timestamp,
    }));
  }
}
