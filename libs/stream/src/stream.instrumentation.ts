import { Instrumentation } from '@rnnflow/instrumentation';
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

/** Partitions of one topic. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** Event name → payload, for {@link StreamInstrumentation.on}. */
export interface StreamEvents {
  call: CallEvent;
}

/** Named events of one Kafka client, for metrics and logs to attach to. */
export class StreamInstrumentation extends Instrumentation<StreamEvents> {
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
