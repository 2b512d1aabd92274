/**
 * One key's recurrent state as the predictor sees it, before encoding.
 *
 * Topic, partition and model name are not part of the record: they are part of the Redis key
 * (see `state.keys.ts`), so a record can only ever be read back under the scope it was written for.
 */
export interface StateRecord {
  /** Registry version of the model weights that produced this state, uint32. */
  modelVersion: number;
  /** Events applied to this key so far, 0 … 2^32-1. */
  step: number;
  /**
   * Kafka offset of the last event applied to this key. Kafka offsets are int64, but stay below
   * 2^53 in practice (a partition would need 9·10^15 messages), so a float64 holds them exactly.
   */
  offset: number;
  /** Wall-clock time of the last update, ms since the Unix epoch. */
  updatedAtMs: number;
  /**
   * Tombstone: the key's sequence ended. It keeps `offset` so that a replay stays idempotent;
   * `vectors` is then empty and the next event starts from zero state at step 1.
   */
  ended: boolean;
  /** State vectors in layout order (LSTM layer: h then c); lengths must match the model layout. */
  vectors: Float32Array[];
  /** Optional output of the key's last step, to score it when the next event brings the actual values. */
  lastOutput?: Float32Array;
  /** Optional last W input vectors of the key, oldest first, all of one length (for rewarming). */
  recentInputs?: Float32Array[];
}

/** Where a batch of states belongs: one Kafka partition of one topic. */
export interface PartitionScope {
  topic: string;
  partition: number;
}

/** A partition scope plus the fencing epoch its writer holds (see `StateStore.acquireEpoch`). */
export interface FencedScope extends PartitionScope {
  epoch: number;
}

/** An entity key: arbitrary UTF-8 (as a string) or raw bytes, 1–256 bytes. */
export type EntityKey = string | Buffer;

/** Why a stored record could not be used. */
export type CorruptReason =
  | 'truncated'
  | 'unknown-version'
  | 'foreign-fingerprint'
  | 'foreign-precision'
  | 'layout-mismatch'
  | 'malformed';

/** Outcome of reading one key. `source` says whether a committed-but-unpromoted pending record won. */
export type ReadResult =
  | { status: 'found'; record: StateRecord; source: 'stable' | 'pending' }
  | { status: 'missing' }
  | { status: 'corrupt'; reason: CorruptReason; message: string; reset: boolean };

/** Outcome of writing one key: written, refused as a replay, or refused because the epoch moved on. */
export type WriteOutcome = 'applied' | 'stale' | 'fenced';

/** Outcome of promoting one key's pending record. */
export type PromoteOutcome = 'promoted' | 'stale' | 'none' | 'fenced';

/** Outcome of discarding one key's pending record (`kept-committed`: it was committed, so kept). */
export type DiscardOutcome = 'discarded' | 'kept-committed' | 'none' | 'fenced';
