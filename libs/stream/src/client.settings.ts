import type { KafkaClientOptions } from './kafka.client.js';
import type { StreamLogLevel } from './kafka.log.js';
import { StreamOptionError } from './stream.errors.js';

/** The Kafka settings every service shares (`kafkaSettings` of `@rnnflow/config`). */
export interface KafkaConnectionSettings {
  brokers: string[];
  kafkaSsl: boolean;
  kafkaSaslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  kafkaSaslUsername?: string;
  kafkaSaslPassword?: string;
}

/** What client log lines are sent to: a pino logger fits (no dependency on the logging lib). */
export type ClientLogger = Record<
  StreamLogLevel,
  (fields: Record<string, unknown>, message: string) => void
>;

/**
 * Kafka client options from the shared settings, with the client's log lines sent to `logger`.
 * @throws StreamOptionError when a SASL mechanism is set without user name and password.
 */
export function kafkaClientOptions(
  settings: KafkaConnectionSettings,
  clientId: string,
  logger: ClientLogger,
): KafkaClientOptions {
  return {
    brokers: settings.brokers,
    clientId,
    ssl: settings.kafkaSsl,
    sasl: saslOf(settings),
    log: ({ level, namespace, message, fields }) =>
      logger[level]({ namespace, ...fields }, message),
  };
}

function saslOf(settings: KafkaConnectionSettings): KafkaClientOptions['sasl'] {
  const mechanism = settings.kafkaSaslMechanism;
  if (mechanism === undefined) return undefined;
  const { kafkaSaslUsername: username, kafkaSaslPassword: password } = settings;
  if (!username || !password) {
    throw new StreamOptionError(
      `--kafka-sasl-mechanism / KAFKA_SASL_MECHANISM is ${mechanism}: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD too`,
    );
  }
  return { mechanism, username, password };
}
