// Shapes of the batch requests and results of StateStore, and the checks of their arguments.

import type {
  EntityKey,
  FencedScope,
  PartitionScope,
  StateRecord,
  WriteOutcome,
} from './state.types.js';

export interface ReadRequest {
  scope: PartitionScope;
  keys: readonly EntityKey[];
  /** The group's committed offset C for the partition, in exactly-once mode (see `resolveState`). */
  committedOffset?: number;
}

export interface WriteEntry {
  key: EntityKey;
  /** The new state; `record.offset` is the source offset the idempotence check compares. */
  record: StateRecord;
}

/** `stable` writes directly; `pending` stages for a producer transaction whose last input is `batchTag`. */
export type WriteMode =
  { mode: 'stable' } | { mode: 'pending'; batchTag: number; committedOffset: number };

export type WriteRequest = WriteMode & {
  scope: FencedScope;
  entries: readonly WriteEntry[];
  /** Overrides the store's idle TTL for these keys (0 = never expire). */
  ttlMs?: number;
};

export interface WriteResult {
  /** One per entry, in order; all `fenced` when the writer's epoch is not current. */
  outcomes: WriteOutcome[];
  applied: number;
  stale: number;
  fenced: boolean;
}

export function writeResult(codes: number[] | 'fenced', count: number): WriteResult {
  if (codes === 'fenced') {
    return {
      outcomes: new Array<WriteOutcome>(count).fill('fenced'),
      applied: 0,
      stale: 0,
      fenced: true,
    };
  }
  const outcomes = codes.map((code): WriteOutcome => (code === 1 ? 'applied' : 'stale'));
  const applied = outcomes.filter((outcome) => outcome === 'applied').length;
  return { outcomes, applied, stale: outcomes.length - applied, fenced: false };
}

/** The tag must cover every record of the batch, or a later commit could skip one of them. */
export function checkPendingTags(request: WriteRequest & { mode: 'pending' }): void {
  const { batchTag, committedOffset } = request;
  if (!Number.isSafeInteger(committedOffset) || committedOffset < -1) {
    throw new RangeError(`committedOffset must be a whole number ≥ -1, got ${committedOffset}`);
  }
  const last = request.entries.reduce((max, entry) => Math.max(max, entry.record.offset), -1);
  if (!Number.isSafeInteger(batchTag) || batchTag < last) {
    throw new RangeError(`batchTag must be the batch's last offset (≥ ${last}), got ${batchTag}`);
  }
}

export function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs < 0)
    throw new RangeError(`TTL must be whole ms ≥ 0, got ${ttlMs}`);
  return ttlMs;
}
