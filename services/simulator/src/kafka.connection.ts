import type { KafkaClientOptions } from '@rnnflow/stream';
import type { Logger } from '@rnnflow/logging';
import { SimulatorOptionError } from './simulator.errors.js';
import type { SimulatorSettings } from './simulator.settings.js';

/** The shared Kafka settings (`kafkaSettings` of `@rnnflow/config`). */
export type KafkaConnectionSettings = Pick<
  SimulatorSettings,
  'brokers' | 'kafkaSsl' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'
>;

/** Kafka client options from the shared Kafka settings, with client logs sent to `logger`. */
export function kafkaClientOptions(
  settings: KafkaConnectionSettings,
  clientId: string,
  logger: Logger,
): KafkaClientOptions {
  const options: KafkaClientOptions = {
    brokers: settings.brokers,
    clientId,
    ssl: settings.kafkaSsl,
    log: (entry) =>
      logger[entry.level]({ ...entry.fields, namespace: entry.namespace }, entry.message),
  };
  const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username } = settings;
  const password = settings.kafkaSaslPassword;
  if (mechanism === undefined) return options;
  if (!username || !password) {
    throw new SimulatorOptionError(
      `KAFKA_SASL_MECHANISM is ${mechanism}: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD too`,
    );
  }
  return { ...options, sasl: { mechanism, username, password } };
}
