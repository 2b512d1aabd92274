import { StreamError, type StreamErrorCode } from './stream.errors.js';

/** Kafka calls whose duration is reported in `'call'` events. */
export type CallOperation = 'produce' | 'commit' | 'fetch-offsets' | 'transaction' | 'metadata';

/** One Kafka call finished. */
export interface CallEvent {
  operation: CallOperation;
  /** Wall time of the call including kafkajs's own retries, seconds ≥ 0. */
  seconds: number;
  ok: boolean;
  /** Set when `ok` is false. */
  errorCode?: StreamErrorCode;
}

/** A consumer's partition assignment changed (one group join). */
export interface AssignmentEvent {
  groupId: string;
  /** Partitions owned from now on, by topic. */
  assignment: TopicPartitions[];
}

/** One batch handed to a consumer's handler finished. */
export interface BatchEvent {
  groupId: string;
  topic: string;
  partition: number;
  /** Records in the batch, ≥ 1. */
  records: number;
  /** Handler wall time, seconds ≥ 0. */
  seconds: number;
  ok: boolean;
}

/** Partitions of one topic. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** Event name → payload, for {@link StreamInstrumentation.on}. */
export interface StreamEvents {
  call: CallEvent;
  assignment: AssignmentEvent;
  batch: BatchEvent;
}

/** Removes the listener it was returned for; calling it twice is harmless. */
export type Unsubscribe = () => void;

type Listener<E extends keyof StreamEvents> = (event: StreamEvents[E]) => void;

/**
 * Named events of one stream client, for metrics and logs to attach to without the stream code
 * knowing about either. A listener that throws is isolated: the error is dropped so that
 * instrumentation can never break message processing.
 */
export class StreamInstrumentation {
  private readonly listeners: { [E in keyof StreamEvents]: Set<Listener<E>> } = {
    call: new Set(),
    assignment: new Set(),
    batch: new Set(),
  };

  /** Subscribes to `event`; returns the function that unsubscribes. */
  on<E extends keyof StreamEvents>(event: E, listener: Listener<E>): Unsubscribe {
    const set = this.listeners[event] as Set<Listener<E>>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends keyof StreamEvents>(event: E, payload: StreamEvents[E]): void {
    for (const listener of this.listeners[event] as Set<Listener<E>>) {
      try {
        listener(payload);
      } catch {
        // Deliberately ignored: see the class comment.
      }
    }
  }

  /**
   * Runs one Kafka call, emits its `'call'` event, and rethrows its error as `mapError` returns
   * it (a StreamError's code goes into the event).
   */
  async timeCall<T>(
    operation: CallOperation,
    call: () => Promise<T>,
    mapError: (error: unknown) => unknown,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await call();
      this.emit('call', { operation, seconds: seconds(), ok: true });
      return result;
    } catch (error) {
      const mapped = mapError(error);
      const errorCode = mapped instanceof StreamError ? mapped.code : undefined;
      this.emit('call', {
        operation,
        seconds: seconds(),
        ok: false,
        ...(errorCode && { errorCode }),
      });
      throw mapped;
    }
  }
}
