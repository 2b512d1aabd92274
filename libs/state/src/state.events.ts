import type { CorruptReason, PartitionScope } from './state.types.js';

/** Instrumentation events of a StateStore; the metrics lib maps them to counters. */
export interface StateEvents {
  /** A stored record could not be used; `reset` says whether the policy deleted it. */
  corrupt: { scope: PartitionScope; key: Buffer; reason: CorruptReason; reset: boolean };
  /** A write, promotion or discard was refused because the caller's epoch is not current. */
  fenced: { scope: PartitionScope; epoch: number; operation: 'write' | 'promote' | 'discard' };
}

type Listener<T> = (event: T) => void;

/** Minimal typed emitter: `on` returns the function that unsubscribes. */
export class StateEventEmitter {
  private readonly listeners = new Map<keyof StateEvents, Set<Listener<never>>>();

  on<E extends keyof StateEvents>(event: E, listener: Listener<StateEvents[E]>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener<never>);
  }

  emit<E extends keyof StateEvents>(event: E, payload: StateEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as Listener<StateEvents[E]>)(payload);
  }
}
