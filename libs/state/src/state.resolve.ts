import { decodeState, type DecodeOptions } from './state.codec.js';
import type { CorruptReason, StateRecord } from './state.types.js';

/** Bytes before the record in a pending value: the batch tag L as float64 LE. */
const PENDING_TAG_BYTES = 8;

export interface CorruptPart {
  part: 'stable' | 'pending';
  reason: CorruptReason;
  message: string;
}

export interface Resolution {
  state: { record: StateRecord; source: 'stable' | 'pending' } | undefined;
  /** Stored values found unusable (they may coexist with a usable state from the other part). */
  corrupt: CorruptPart[];
}

/**
 * Picks the state to use for one key from its stable and pending values.
 *
 * The rule, shared with the Lua scripts: a pending value tagged L belongs to a producer transaction
 * that is committed iff the group's committed offset C > L. A committed pending record not yet
 * promoted (crash between the Kafka commit and the promotion) wins when it is newer than the
 * stable one; an uncommitted one (transaction aborted, or in flight on a fenced zombie) is ignored.
 * Without `committedOffset` pending values are not consulted at all.
 */
export function resolveState(
  stable: Buffer | null,
  pending: Buffer | null,
  committedOffset: number | undefined,
  options: DecodeOptions,
): Resolution {
  const corrupt: CorruptPart[] = [];
  const fromStable = stable ? decodePart(stable, 'stable', options, corrupt) : undefined;
  const committedPending =
    pending && committedOffset !== undefined
      ? committedRecord(pending, committedOffset, options, corrupt)
      : undefined;
  if (committedPending && (!fromStable || committedPending.offset > fromStable.offset)) {
    return { state: { record: committedPending, source: 'pending' }, corrupt };
  }
  return { state: fromStable ? { record: fromStable, source: 'stable' } : undefined, corrupt };
}

function committedRecord(
  pending: Buffer,
  committedOffset: number,
  options: DecodeOptions,
  corrupt: CorruptPart[],
): StateRecord | undefined {
  if (pending.length < PENDING_TAG_BYTES) {
    corrupt.push({
      part: 'pending',
      reason: 'truncated',
      message: `pending value of ${pending.length} bytes`,
    });
    return undefined;
  }
  if (pending.readDoubleLE(0) >= committedOffset) return undefined;
  return decodePart(pending.subarray(PENDING_TAG_BYTES), 'pending', options, corrupt);
}

function decodePart(
  blob: Buffer,
  part: CorruptPart['part'],
  options: DecodeOptions,
  corrupt: CorruptPart[],
): StateRecord | undefined {
  const decoded = decodeState(blob, options);
  if (decoded.ok) return decoded.record;
  corrupt.push({ part, reason: decoded.reason, message: decoded.message });
  return undefined;
}
