import { Instrumentation } from '@rnnflow/instrumentation';
import type { CorruptReason, PartitionScope } from './state.types.js';

/** Instrumentation events of state stores; services attach their metrics and logs to them. */
export interface StateEvents {
  /** One read round trip (every partition of a `readBatches` call) returned. */
  read: { seconds: number; found: number; missing: number; corrupt: number };
  /** One write round trip returned: keys applied, stale (a replay) and refused by fencing. */
  write: { seconds: number; applied: number; stale: number; fenced: number };
  /** A stored record could not be used; `reset` says whether the policy deleted it. */
  corrupt: { scope: PartitionScope; key: Buffer; reason: CorruptReason; reset: boolean };
  /** A write, promotion or discard was refused because the caller's epoch is not current. */
  fenced: { scope: PartitionScope; epoch: number; operation: 'write' | 'promote' | 'discard' };
}

/** Events of one or more state stores (a service shares one among all its stores). */
export class StateInstrumentation extends Instrumentation<StateEvents> {}
