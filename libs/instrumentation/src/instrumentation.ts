/** Removes the listener it was returned for; calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * Named events of one component (a Kafka client, a state store), for metrics and logs to attach
 * to without the component knowing about either; `Events` maps each name to its payload. A
 * listener that throws is isolated: its error is dropped, so that instrumentation can never
 * break the work it observes.
 */
export class Instrumentation<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Subscribes to `event`; returns the function that unsubscribes. */
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as (payload: Events[E]) => void)(payload);
      } catch {
        // Deliberately ignored: see the class comment.
      }
    }
  }
}
