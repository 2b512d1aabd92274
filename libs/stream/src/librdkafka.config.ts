import type { ConnectionOptions } from 'node:tls';
import type { Compression } from './compression.codecs.js';
import type { KafkaClientOptions } from './kafka.options.js';
import { StreamOptionError } from './stream.errors.js';

/** librdkafka configuration properties (names as in librdkafka's CONFIGURATION.md). */
export type LibrdkafkaConfig = Record<string, string | number | boolean>;

/**
 * Global and topic properties apart: node-rdkafka always installs a default topic
 * configuration, which replaces topic properties set among the global ones.
 */
export interface LibrdkafkaProducerConfig {
  global: LibrdkafkaConfig;
  topic: LibrdkafkaConfig;
}

/** Producer tuning on top of the client's connection settings. */
export interface LibrdkafkaProducerTuning {
  compression: Compression;
  /** How long a record may wait for its acknowledgement, retries included, before it fails. */
  deliveryTimeoutMs: number;
}

const SASL_MECHANISM_NAMES = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
} as const;

/** librdkafka logs by syslog severity; `nothing` keeps only emergencies. */
const SYSLOG_LEVELS = { nothing: 0, error: 3, warn: 4, info: 6, debug: 7 } as const;

/** Node TLS options librdkafka has an equivalent for; any other is refused rather than ignored. */
const TLS_OPTIONS = new Set(['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized']);

/**
 * The librdkafka configuration of a producer that behaves like rnnflow's kafkajs one: the same
 * brokers, credentials and timeouts, acks from all in-sync replicas, and murmur2 partitioning
 * (the Java client's, which kafkajs also uses) so that a key lands in the same partition
 * whichever client wrote it.
 * @throws StreamOptionError for a TLS option librdkafka cannot express.
 */
export function librdkafkaProducerConfig(
  client: KafkaClientOptions,
  tuning: LibrdkafkaProducerTuning,
): LibrdkafkaProducerConfig {
  const global: LibrdkafkaConfig = {
    'metadata.broker.list': client.brokers.join(','),
    'client.id': client.clientId,
    'socket.connection.setup.timeout.ms': client.connectionTimeoutMs ?? 3000,
    'compression.codec': tuning.compression,
    // Our batches are already large; a short linger only merges concurrent partitions' records.
    'linger.ms': 2,
    'socket.nagle.disable': true,
    // librdkafka's default backs off up to 10 s; a broker that is back should be used within 1 s.
    'reconnect.backoff.max.ms': 1000,
    dr_cb: true,
    // A flush tells when a group of calls' records are acknowledged; reports serve failures only.
    'delivery.report.only.error': true,
    event_cb: true,
    log_level: SYSLOG_LEVELS[client.logLevel ?? 'warn'],
    ...securityConfig(client),
  };
  const topic: LibrdkafkaConfig = {
    'request.timeout.ms': client.requestTimeoutMs ?? 30_000,
    'message.timeout.ms': tuning.deliveryTimeoutMs,
    'request.required.acks': -1,
    partitioner: 'murmur2_random',
  };
  return { global, topic };
}

function securityConfig(client: KafkaClientOptions): LibrdkafkaConfig {
  const tls = client.ssl !== undefined && client.ssl !== false;
  const config: LibrdkafkaConfig = {
    'security.protocol': `${client.sasl ? 'sasl_' : ''}${tls ? 'ssl' : 'plaintext'}`,
  };
  if (client.sasl !== undefined) {
    config['sasl.mechanisms'] = SASL_MECHANISM_NAMES[client.sasl.mechanism];
    config['sasl.username'] = client.sasl.username;
    config['sasl.password'] = client.sasl.password;
  }
  if (typeof client.ssl === 'object') Object.assign(config, tlsConfig(client.ssl));
  return config;
}

function tlsConfig(options: ConnectionOptions): LibrdkafkaConfig {
  const unsupported = Object.keys(options).filter(
    (name) => !TLS_OPTIONS.has(name) && options[name as keyof ConnectionOptions] !== undefined,
  );
  if (unsupported.length > 0) {
    throw new StreamOptionError(
      `TLS option(s) ${unsupported.join(', ')} have no librdkafka equivalent; ` +
        'produce with kafkajs instead (RNNFLOW_KAFKA_PRODUCER=kafkajs)',
    );
  }
  const config: LibrdkafkaConfig = {};
  if (options.ca !== undefined) config['ssl.ca.pem'] = pem(options.ca, 'ca');
  if (options.cert !== undefined) config['ssl.certificate.pem'] = pem(options.cert, 'cert');
  if (options.key !== undefined) config['ssl.key.pem'] = pem(options.key, 'key');
  if (options.passphrase !== undefined) config['ssl.key.password'] = options.passphrase;
  if (options.rejectUnauthorized === false) {
    config['enable.ssl.certificate.verification'] = false;
  }
  return config;
}

/** PEM text from a Node TLS value: a string, a Buffer, or a list of them (concatenated). */
function pem(value: unknown, name: string): string {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (Buffer.isBuffer(part)) return part.toString('utf8');
      throw new StreamOptionError(`TLS option ${name} must be PEM text or a Buffer of it`);
    })
    .join('\n');
}
