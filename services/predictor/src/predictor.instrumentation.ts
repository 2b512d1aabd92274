import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import type { StateInstrumentation } from '@rnnflow/state';
import type { KafkaClient } from '@rnnflow/stream';

/**
 * The one place where the predictor's Kafka and Redis calls become metrics and log lines: the
 * stream and state libs time and count their calls as instrumentation events, and nothing else
 * in the predictor times a call by hand. Returns what detaches every listener.
 */
export function attachInstrumentation(
  sources: { kafka: KafkaClient; state: StateInstrumentation },
  recorder: PredictorMetrics,
  logger: Logger,
): () => void {
  const { kafka, state } = sources;
  const detach = [
    kafka.on('call', ({ operation, seconds }) => recorder.kafkaCallSeconds(operation, seconds)),
    state.on('read', ({ seconds, ...counts }) => {
      recorder.redisCallSeconds('read', seconds);
      for (const [result, count] of Object.entries(counts) as [keyof typeof counts, number][])
        if (count > 0) recorder.stateReads(result, count);
    }),
    state.on('write', ({ seconds, ...counts }) => {
      recorder.redisCallSeconds('write', seconds);
      for (const [result, count] of Object.entries(counts) as [keyof typeof counts, number][])
        if (count > 0) recorder.stateWrites(result, count);
    }),
    state.on('corrupt', ({ scope, reason, reset }) =>
      logger.warn(
        { topic: scope.topic, partition: scope.partition, reason, reset },
        'a stored state could not be used; its key starts afresh',
      ),
    ),
    state.on('fenced', ({ scope, epoch, operation }) =>
      logger.warn(
        { topic: scope.topic, partition: scope.partition, epoch, operation },
        'Redis refused a state change: another instance owns the partition now',
      ),
    ),
  ];
  return () => {
    for (const unsubscribe of detach) unsubscribe();
  };
}
