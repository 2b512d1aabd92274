import type { FencedScope, StateStore, WriteEntry, WriteResult } from '@rnnflow/state';

interface QueuedWrite {
  store: StateStore;
  scope: FencedScope;
  entries: readonly WriteEntry[];
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Stable state writes of every partition, one Redis round trip at a time: the writes that
 * queue while one round trip is out all go in the next (one script call per partition,
 * pipelined per node), so the number of round trips follows Redis's speed, not the number of
 * batches.
 */
export class StateWriteBatcher {
  private queue: QueuedWrite[] = [];
  private writing = false;

  constructor(
    /** Idle TTL of written states, ms; 0 keeps them. */
    private readonly ttlMs: number,
  ) {}

  write(
    store: StateStore,
    scope: FencedScope,
    entries: readonly WriteEntry[],
  ): Promise<WriteResult> {
    if (entries.length === 0)
      return Promise.resolve({ outcomes: [], applied: 0, stale: 0, fenced: false });
    return new Promise((resolve, reject) => {
      this.queue.push({ store, scope, entries, resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const writes = this.queue;
      this.queue = [];
      await Promise.all(
        [...groupByStore(writes)].map(([store, group]) => this.writeGroup(store, group)),
      );
    }
    this.writing = false;
  }

  private async writeGroup(store: StateStore, writes: readonly QueuedWrite[]): Promise<void> {
    try {
      const results = await store.writeBatches(
        writes.map(({ scope, entries }) => ({ mode: 'stable', scope, entries, ttlMs: this.ttlMs })),
      );
      results.forEach((result, index) => writes[index].resolve(result));
    } catch (error) {
      for (const write of writes) write.reject(error);
    }
  }
}

/** Writes by store: during a swap to another architecture, two stores write side by side. */
function groupByStore(writes: readonly QueuedWrite[]): Map<StateStore, QueuedWrite[]> {
  const groups = new Map<StateStore, QueuedWrite[]>();
  for (const write of writes) {
    const group = groups.get(write.store);
    if (group === undefined) groups.set(write.store, [write]);
    else group.push(write);
  }
  return groups;
}
