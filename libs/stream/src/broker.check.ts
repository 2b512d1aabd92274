import { withinDeadline } from '@rnnflow/errors';
import type { KafkaClient } from './kafka.client.js';
import { StreamError } from './stream.errors.js';

/** Options of {@link checkBrokers}. */
export interface BrokerCheckOptions {
  /** The bootstrap brokers, for the message. */
  brokers: readonly string[];
  /** The topic the service reads or writes; it must exist. */
  topic: string;
  /** `RNNFLOW_STARTUP_TIMEOUT_MS`. */
  timeoutMs: number;
}

/**
 * Resolves once the brokers answer a metadata request for `topic` (its partitions' offsets).
 * A service runs this at start: kafkajs retries an unreachable broker for a long time without a
 * word, and a consumer that never joins leaves the process up but useless. Rejects with
 * StartupTimeoutError after `timeoutMs`; when the client gives up first (no broker reachable,
 * authentication refused, no such topic), with its StreamError, the message extended with the
 * settings to check.
 */
export async function checkBrokers(kafka: KafkaClient, options: BrokerCheckOptions): Promise<void> {
  const where = `Kafka at ${options.brokers.join(',')}`;
  const check = `check KAFKA_BROKERS (--brokers), KAFKA_SSL and KAFKA_SASL_*, and that topic "${options.topic}" exists`;
  try {
    await withinDeadline(
      kafka.fetchWatermarks(options.topic),
      options.timeoutMs,
      () =>
        `${where} did not answer for topic "${options.topic}" within ${options.timeoutMs} ms: ${check}, or raise RNNFLOW_STARTUP_TIMEOUT_MS (--startup-timeout-ms)`,
    );
  } catch (error) {
    if (!(error instanceof StreamError)) throw error;
    throw new StreamError(error.code, `${where}: ${error.message}; ${check}`, {
      retriable: error.retriable,
      cause: error,
      operation: error.operation,
      kafkaType: error.kafkaType,
      kafkaCode: error.kafkaCode,
    });
  }
}
