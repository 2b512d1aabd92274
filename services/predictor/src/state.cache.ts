import type { StateRecord, StateStore } from '@rnnflow/state';

/** Who holds cached states: a partition this instance owns, in one assignment. */
export interface CacheOwner {
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
  key: string;
  record: StateRecord | undefined;
  store: StateStore;
  /** Sequence number of the batch that made this state; it may be evicted once that batch is durable. */
  sequence: number;
  /** Neighbours in recency order. */
  older: Entry | undefined;
  newer: Entry | undefined;
}

/** How many dirty entries an eviction pass may step over before it gives up. */
const EVICTION_SCAN_LIMIT = 64;

/**
 * The newest state of the keys of owned partitions, least recently used first out, bounded by
 * `capacity` keys. Redis stays the durable copy: a state is evicted only once the batch that
 * made it is durable (so a miss can re-read it), which lets the cache briefly exceed its
 * capacity while more batches are in flight than it holds keys.
 *
 * Keys are found per owner (one lookup of the key itself, no composite key to build) and kept
 * in recency order by a linked list, so a hit or an update costs one map lookup.
 */
export class StateCache {
  private readonly owners = new Map<CacheOwner, Map<string, Entry>>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private count = 0;
  private readonly counts: CacheCounts = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** The key's cached state for `store`, or undefined on a miss (counted either way). */
  get(owner: CacheOwner, key: string, store: StateStore): CachedState | undefined {
    const entry = this.owners.get(owner)?.get(key);
    if (entry === undefined || entry.store !== store) {
      this.counts.misses += 1;
      return undefined;
    }
    this.counts.hits += 1;
    this.makeNewest(entry);
    return entry;
  }

  /** Stores the key's state as of batch `sequence` of `owner`. */
  set(owner: CacheOwner, key: string, state: CachedState, sequence: number): void {
    if (!owner.active) return;
    let keys = this.owners.get(owner);
    if (keys === undefined) this.owners.set(owner, (keys = new Map()));
    const entry = keys.get(key);
    if (entry !== undefined) {
      entry.record = state.record;
      entry.store = state.store;
      entry.sequence = sequence;
      this.makeNewest(entry);
      return;
    }
    const added: Entry = {
      owner,
      key,
      record: state.record,
      store: state.store,
      sequence,
      older: undefined,
      newer: undefined,
    };
    keys.set(key, added);
    this.count += 1;
    this.append(added);
    this.trim();
  }

  /** Forgets every state of `owner`: its partition was revoked, fenced or rewound. */
  drop(owner: CacheOwner): void {
    const keys = this.owners.get(owner);
    if (keys === undefined) return;
    for (const entry of keys.values()) this.unlink(entry);
    this.count -= keys.size;
    this.owners.delete(owner);
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
    let skipped = 0;
    let entry = this.oldest;
    while (entry !== undefined && this.count > this.capacity && skipped < EVICTION_SCAN_LIMIT) {
      const next = entry.newer;
      if (entry.owner.active && entry.sequence > entry.owner.durableSequence) skipped += 1;
      else this.evict(entry);
      entry = next;
    }
  }

  private evict(entry: Entry): void {
    this.unlink(entry);
    const keys = this.owners.get(entry.owner);
    keys?.delete(entry.key);
    if (keys?.size === 0) this.owners.delete(entry.owner);
    this.count -= 1;
    this.counts.evictions += 1;
  }

  private makeNewest(entry: Entry): void {
    if (entry === this.newest) return;
    this.unlink(entry);
    this.append(entry);
  }

  private append(entry: Entry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.older === undefined) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}
