import { readFileSync } from 'node:fs';
import type { KafkaClientOptions } from './kafka.options.js';
import type { StreamLogLevel } from './kafka.log.js';
import { StreamOptionError } from './stream.errors.js';

/** The Kafka settings every service shares (`kafkaSettings` of `@rnnflow/config`). */
export interface KafkaConnectionSettings {
  brokers: string[];
  kafkaSsl: boolean;
  kafkaSaslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  kafkaSaslUsername?: string;
  kafkaSaslPassword?: string;
  /** A file holding the password, as container secrets are mounted: a flag would show in `ps`. */
  kafkaSaslPasswordFile?: string;
}

/** What client log lines are sent to: a pino logger fits (no dependency on the logging lib). */
export type ClientLogger = Record<
  StreamLogLevel,
  (fields: Record<string, unknown>, message: string) => void
>;

/**
 * Kafka client options from the shared settings, with the client's log lines sent to `logger`.
 * @throws StreamOptionError when a SASL mechanism is set without user name and password, when
 *   both a password and a password file are given, or when the file cannot be read or is empty.
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
  const username = settings.kafkaSaslUsername;
  const password = saslPassword(settings);
  if (!username || !password) {
    throw new StreamOptionError(
      `--kafka-sasl-mechanism / KAFKA_SASL_MECHANISM is ${mechanism}: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD) too`,
    );
  }
  return { mechanism, username, password };
}

/** The password given directly, or read from its file (a secret mount ends it with a newline). */
function saslPassword(settings: KafkaConnectionSettings): string | undefined {
  const file = settings.kafkaSaslPasswordFile;
  if (file === undefined) return settings.kafkaSaslPassword;
  if (settings.kafkaSaslPassword !== undefined) {
    throw new StreamOptionError(
      'both KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are set: keep one (the file keeps the password out of ps and the environment)',
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new StreamOptionError(
      `--kafka-sasl-password-file / KAFKA_SASL_PASSWORD_FILE: cannot read ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
    );
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') {
    throw new StreamOptionError(
      `--kafka-sasl-password-file / KAFKA_SASL_PASSWORD_FILE: ${file} is empty`,
    );
  }
  return password;
}
