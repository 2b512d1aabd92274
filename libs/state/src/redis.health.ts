import type { RedisConnection } from '@rnnflow/redis';

/** Options of {@link RedisHealth}. */
export interface RedisHealthOptions {
  /** Time between PINGs; default 500 ms. */
  intervalMs?: number;
  /** A PING without a reply after this long makes Redis unhealthy; default 1000 ms. */
  timeoutMs?: number;
  /** Replaces the clock; for tests. */
  now?: () => number;
}

/**
 * Whether Redis answers now, from a PING every `intervalMs`. A batch only learns of a frozen or
 * gone Redis when its own call fails (after the command timeout, or never while it is retried),
 * and readiness must turn false within seconds of the outage and true again soon after it ends.
 */
export class RedisHealth {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private answered = true;
  /** When the PING in flight was sent; undefined when none is. */
  private sentAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Pick<RedisConnection, 'ping'>,
    options: RedisHealthOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Starts pinging; the connection was just opened, so Redis counts as healthy until a PING says otherwise. */
  start(): this {
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True while the last PING was answered and the one in flight (if any) is not overdue. */
  healthy(): boolean {
    const overdue = this.sentAt !== undefined && this.now() - this.sentAt > this.timeoutMs;
    return this.answered && !overdue;
  }

  /** One check: sends a PING unless one is still in flight. */
  tick(): void {
    if (this.sentAt !== undefined) return;
    const sentAt = this.now();
    this.sentAt = sentAt;
    this.connection.ping().then(
      () => this.settle(sentAt, true),
      () => this.settle(sentAt, false),
    );
  }

  private settle(sentAt: number, answered: boolean): void {
    if (this.sentAt !== sentAt) return;
    this.sentAt = undefined;
    this.answered = answered;
  }
}
