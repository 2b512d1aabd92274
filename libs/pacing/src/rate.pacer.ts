/**
 * Paces records at `rate` per second from the start of a run: by `elapsedMs` the run should
 * have sent floor(rate × elapsed) records. A run that fell behind (a slow broker) catches up in
 * batches of at most `maxBatch` rather than dropping records.
 */
export class RatePacer {
  /**
   * @param rate records per second, > 0
   * @param limit records in the whole run (Infinity: until stopped)
   * @param maxBatch most records in one batch, ≥ 1
   */
  constructor(
    readonly rate: number,
    readonly limit: number,
    readonly maxBatch: number,
  ) {}

  /** Records to send now, 0 to `maxBatch`, when `sent` were sent by `elapsedMs`. */
  due(elapsedMs: number, sent: number): number {
    const scheduled = Math.min(this.limit, Math.floor((this.rate * elapsedMs) / 1000));
    return Math.max(0, Math.min(this.maxBatch, scheduled - sent));
  }

  /** Milliseconds from `elapsedMs` until record number `sent + 1` is due (0 if it already is). */
  msUntilNext(elapsedMs: number, sent: number): number {
    return Math.max(0, ((sent + 1) * 1000) / this.rate - elapsedMs);
  }

  /** True once every record of the run was sent. */
  done(sent: number): boolean {
    return sent >= this.limit;
  }
}
