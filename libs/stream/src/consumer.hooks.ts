import type { BatchConsumerOptions } from './batch.consumer.js';
import type { ClientLogger } from './client.settings.js';
import type { StreamError } from './stream.errors.js';
import type { TopicPartitions } from './stream.instrumentation.js';

/** What a service adds to the logged consumer lifecycle. */
export interface ConsumerLifecycle {
  /** Runs on each new assignment, before it is logged and before its first batch. */
  assigned?: (assignment: TopicPartitions[]) => void | Promise<void>;
  /** Told, after the error is logged, that the consumer stopped for good. */
  crashed: (error: StreamError) => void;
}

/**
 * The assignment, rejoin and crash hooks of a service's consumer, logged the same way in every
 * service (operators search the logs for these messages).
 */
export function consumerLifecycle(
  logger: ClientLogger,
  lifecycle: ConsumerLifecycle,
): Pick<BatchConsumerOptions, 'onAssignment' | 'onRejoin' | 'onCrash'> {
  return {
    onAssignment: async (assignment) => {
      await lifecycle.assigned?.(assignment);
      logger.info({ assignment }, 'partitions assigned');
    },
    onRejoin: (error, delayMs) =>
      logger.warn(
        { err: error, delayMs },
        'the group coordinator refused this member while it joined; joining again',
      ),
    onCrash: (error) => {
      logger.error({ err: error }, 'consumer stopped on an error it could not recover from');
      lifecycle.crashed(error);
    },
  };
}
