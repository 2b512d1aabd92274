import { ConfigError } from '@rnnflow/config';
import type { Logger } from '@rnnflow/logging';
import type { RedisConnectionOptions } from '@rnnflow/state';
import type { KafkaClientOptions } from '@rnnflow/stream';

/** Kafka settings every service shares (see `kafkaSettings` in @rnnflow/config). */
export interface KafkaConnectionSettings {
  brokers: string[];
  kafkaSsl: boolean;
  kafkaSaslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  kafkaSaslUsername?: string;
  kafkaSaslPassword?: string;
}

export interface RedisConnectionSettings {
  redisUrl: string;
  redisClusterNodes?: string[];
}

export function kafkaClientOptions(
  settings: KafkaConnectionSettings,
  clientId: string,
  logger: Logger,
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
  if (username === undefined || password === undefined) {
    throw new ConfigError([
      `--kafka-sasl-mechanism / KAFKA_SASL_MECHANISM is ${mechanism}: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD too`,
    ]);
  }
  return { mechanism, username, password };
}

export function redisConnectionOptions(settings: RedisConnectionSettings): RedisConnectionOptions {
  return settings.redisClusterNodes === undefined
    ? { url: settings.redisUrl }
    : { clusterNodes: settings.redisClusterNodes, url: settings.redisUrl };
}
