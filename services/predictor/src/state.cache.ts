import type { StateRecord, StateStore } from '@rnnflow/state';

/** Who holds cached states: a partition this instance owns, in one assignment. */
export interface CacheOwner {
  /** Distinguishes the partition's keys from other partitions' keys of the same name. */
  readonly cacheId: string;
  /** Batches of this owner up to this sequence number have durable states (written or committed). */
  readonly durableSequence: number;
  /** False once the partition was revoked, fenced or rewound: its states may go. */
  readonly active: boolean;
}

/** A key's newest state, as read from Redis or computed by a batch not yet durable. */
export interface CachedState {
  /** Undefined: the key has no stored state (a new key, or one whose state was unusable). */
  readonly record: StateRecord | undefined;
  /** The store (architecture) the record belongs to. */
  readonly store: StateStore;
}

/** Counts since the last {@link StateCache.takeCounts}. */
export interface CacheCounts {
  hits: number;
  misses: number;
  evictions: number;
}

interface Entry extends CachedState {
  owner: CacheOwner;
  record: StateRecord | undefined;
  store: StateStore;
  /** Sequence number of the batch that made this state; it may be evicted once that batch is durable. */
  sequence: number;
}

/** How many dirty entries an eviction pass may step over before it gives up. */
const EVICTION_SCAN_LIMIT = 64;

/**
 * The newest state of the keys of owned partitions, least recently used first out, bounded by
 * `capacity` keys. Redis stays the durable copy: a state is evicted only once the batch that
 * made it is durable (so a miss can re-read it), which lets the cache briefly exceed its
 * capacity while more batches are in flight than it holds keys.
 */
export class StateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly counts: CacheCounts = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The key's cached state for `store`, or undefined on a miss (counted either way). */
  get(owner: CacheOwner, key: string, store: StateStore): CachedState | undefined {
    const id = entryId(owner, key);
    const entry = this.entries.get(id);
    if (entry === undefined || entry.owner !== owner || entry.store !== store) {
      this.counts.misses += 1;
      return undefined;
    }
    this.counts.hits += 1;
    // Map order is insertion order: re-inserting makes the key the most recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  /** Stores the key's state as of batch `sequence` of `owner`. */
  set(owner: CacheOwner, key: string, state: CachedState, sequence: number): void {
    if (!owner.active) return;
    const id = entryId(owner, key);
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, { owner, record: state.record, store: state.store, sequence });
      this.trim();
      return;
    }
    // Map order is insertion order: re-inserting makes the key the most recently used.
    this.entries.delete(id);
    entry.owner = owner;
    entry.record = state.record;
    entry.store = state.store;
    entry.sequence = sequence;
    this.entries.set(id, entry);
  }

  /** Forgets every state of `owner`: its partition was revoked, fenced or rewound. */
  drop(owner: CacheOwner): void {
    for (const [id, entry] of this.entries) if (entry.owner === owner) this.entries.delete(id);
  }

  /** Returns the counts since the previous call and starts counting afresh. */
  takeCounts(): CacheCounts {
    const counts = { ...this.counts };
    this.counts.hits = 0;
    this.counts.misses = 0;
    this.counts.evictions = 0;
    return counts;
  }

  /** Evicts least recently used durable states until the cache is within its capacity. */
  trim(): void {
    if (this.entries.size <= this.capacity) return;
    let skipped = 0;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.capacity || skipped >= EVICTION_SCAN_LIMIT) return;
      if (entry.owner.active && entry.sequence > entry.owner.durableSequence) {
        skipped += 1;
        continue;
      }
      this.entries.delete(id);
      this.counts.evictions += 1;
    }
  }
}

function entryId(owner: CacheOwner, key: string): string {
  return `${owner.cacheId}\u0000${key}`;
}
