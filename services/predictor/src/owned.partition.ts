import type { FencedScope } from '@rnnflow/state';
import { partitionName } from '@rnnflow/stream';
import type { CacheOwner } from './state.cache.js';

/**
 * A partition this instance owns in one assignment, and everything that belongs to that
 * ownership: the fencing epoch its state writes carry, its cached key states (in the shared
 * {@link StateCache}, under this object), its batches in flight and its offsets. It lives from
 * the partition's first batch of an assignment until the next assignment, a fence or a failure
 * ends it; then nothing of it is committed any more, and a fresh one starts from the committed
 * offset with a new epoch and an empty cache.
 */
export class OwnedPartition implements CacheOwner {
  readonly name: string;
  /** Next offset to read as the group has committed it, -1 when none. */
  committedOffset: number;
  /** Last offset whose batch's states are durable; everything up to it may be committed. */
  durableOffset: number;
  /** Sequence number of the last batch taken, and of the last one whose states are durable. */
  takenSequence = 0;
  durableSequence = 0;
  /** Events of the batches taken whose states are not durable yet. */
  eventsInFlight = 0;
  private readonly eventsOfBatch = new Map<number, number>();
  private waiters: (() => void)[] = [];
  /** Batches taken and not committed yet, oldest first. */
  private readonly uncommitted: { lastOffset: number; takenAtMs: number }[] = [];
  /** First offset this ownership took: where it started when the group had committed none. */
  private firstOffset: number | undefined;
  private ended = false;

  constructor(
    readonly scope: FencedScope,
    /** The consumer's assignment this ownership belongs to. */
    readonly generation: number,
    committedOffset: number,
    /** Where a partition that failed before its first batch must be read again from. */
    firstOffset?: number,
  ) {
    this.firstOffset = firstOffset;
    this.name = partitionName(scope.topic, scope.partition);
    this.committedOffset = committedOffset;
    this.durableOffset = committedOffset - 1;
  }

  /** False once revoked, fenced or failed: its stages stop and nothing of it is committed. */
  get active(): boolean {
    return !this.ended;
  }

  end(): void {
    this.ended = true;
    this.wakeWaiters();
  }

  /** Batches taken whose states are not durable yet. */
  get batchesInFlight(): number {
    return this.takenSequence - this.durableSequence;
  }

  /** When the oldest batch not committed yet was taken, ms; undefined when none. */
  get oldestUncommittedAtMs(): number | undefined {
    return this.uncommitted[0]?.takenAtMs;
  }

  /** Where to read the partition again when this ownership ends before its batches are durable. */
  rewindOffset(): number {
    return this.committedOffset >= 0 ? this.committedOffset : (this.firstOffset ?? 0);
  }

  /** Numbers a newly taken batch. */
  take(batch: { events: number; firstOffset: number; lastOffset: number }, nowMs: number): number {
    const { events, firstOffset, lastOffset } = batch;
    this.firstOffset ??= firstOffset;
    this.uncommitted.push({ lastOffset, takenAtMs: nowMs });
    this.takenSequence += 1;
    this.eventsInFlight += events;
    this.eventsOfBatch.set(this.takenSequence, events);
    return this.takenSequence;
  }

  /** Batches up to `sequence`, the last of which ends at `lastOffset`, have durable states. */
  madeDurable(sequence: number, lastOffset: number): void {
    for (let done = this.durableSequence + 1; done <= sequence; done += 1) {
      this.eventsInFlight -= this.eventsOfBatch.get(done) ?? 0;
      this.eventsOfBatch.delete(done);
    }
    this.durableSequence = Math.max(this.durableSequence, sequence);
    this.durableOffset = Math.max(this.durableOffset, lastOffset);
    this.wakeWaiters();
  }

  /**
   * Resolves once `events` more fit under `limit` events in flight (always when none are in
   * flight, so one large batch still passes), or the ownership ended.
   */
  async roomFor(events: number, limit: number): Promise<void> {
    while (this.active && this.eventsInFlight > 0 && this.eventsInFlight + events > limit) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The offset to commit now, or undefined when the committed one is current. */
  offsetToCommit(): number | undefined {
    const next = this.durableOffset + 1;
    return this.active && next > this.committedOffset ? next : undefined;
  }

  /** The group committed `nextOffset`. */
  committed(nextOffset: number): void {
    this.committedOffset = Math.max(this.committedOffset, nextOffset);
    let done = 0;
    while (done < this.uncommitted.length && this.uncommitted[done].lastOffset < nextOffset)
      done += 1;
    this.uncommitted.splice(0, done);
  }
}
