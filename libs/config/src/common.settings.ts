import { z } from 'zod';
import {
  booleanSchema,
  brokerListSchema,
  positiveIntegerSchema,
  redisUrlSchema,
} from './schemas.js';
import { setting } from './settings.js';

/** Kafka connection settings shared by every service. */
export const kafkaSettings = {
  brokers: setting({
    env: 'KAFKA_BROKERS',
    flag: 'brokers',
    description: 'Kafka bootstrap brokers, comma-separated host:port',
    schema: brokerListSchema,
  }),
  kafkaSsl: setting({
    env: 'KAFKA_SSL',
    flag: 'kafka-ssl',
    description: 'connect to Kafka over TLS',
    schema: booleanSchema,
    default: 'false',
  }),
  kafkaSaslMechanism: setting({
    env: 'KAFKA_SASL_MECHANISM',
    flag: 'kafka-sasl-mechanism',
    description: 'SASL mechanism: plain, scram-sha-256 or scram-sha-512 (none when unset)',
    schema: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  }),
  kafkaSaslUsername: setting({
    env: 'KAFKA_SASL_USERNAME',
    flag: 'kafka-sasl-username',
    description: 'SASL user name',
    schema: z.string().optional(),
  }),
  kafkaSaslPassword: setting({
    env: 'KAFKA_SASL_PASSWORD',
    flag: 'kafka-sasl-password',
    description:
      'SASL password; as a flag it shows in ps, so prefer the variable or KAFKA_SASL_PASSWORD_FILE',
    schema: z.string().optional(),
    secret: true,
  }),
  kafkaSaslPasswordFile: setting({
    env: 'KAFKA_SASL_PASSWORD_FILE',
    flag: 'kafka-sasl-password-file',
    description:
      'file holding the SASL password, e.g. a mounted container secret (one trailing newline is ignored); instead of KAFKA_SASL_PASSWORD',
    schema: z.string().min(1).optional(),
  }),
};

/** Redis connection settings shared by every service; TLS and ACL credentials go in the URL. */
export const redisSettings = {
  redisUrl: setting({
    env: 'REDIS_URL',
    flag: 'redis-url',
    description: 'Redis URL, redis://[user:password@]host:port[/db] or rediss:// for TLS',
    schema: redisUrlSchema,
    default: 'redis://127.0.0.1:6379',
    secret: true,
  }),
  redisClusterNodes: setting({
    env: 'REDIS_CLUSTER_NODES',
    flag: 'redis-cluster-nodes',
    description:
      'Redis Cluster startup nodes, comma-separated host:port (overrides the host of REDIS_URL, keeps its credentials and TLS)',
    schema: brokerListSchema.optional(),
  }),
  redisConnectTimeoutMs: setting({
    env: 'REDIS_CONNECT_TIMEOUT_MS',
    flag: 'redis-connect-timeout-ms',
    description:
      'longest the start waits for Redis to accept the connection and answer a PING; the service then exits naming the cause',
    schema: positiveIntegerSchema('milliseconds'),
    default: '5000',
  }),
  redisCommandTimeoutMs: setting({
    env: 'REDIS_COMMAND_TIMEOUT_MS',
    flag: 'redis-command-timeout-ms',
    description:
      'a Redis command without a reply after this long fails (and its batch is retried) instead of waiting on a frozen server',
    schema: positiveIntegerSchema('milliseconds'),
    default: '5000',
  }),
};

/** How long a service may take to start before it exits with the step that hung. */
export const startupSettings = {
  startupTimeoutMs: setting({
    env: 'RNNFLOW_STARTUP_TIMEOUT_MS',
    flag: 'startup-timeout-ms',
    description:
      'longest the start waits for the Kafka brokers (and the consumer group join); the service then exits naming the step that hung',
    schema: positiveIntegerSchema('milliseconds'),
    default: '30000',
  }),
};

export const loggingSettings = {
  logLevel: setting({
    env: 'RNNFLOW_LOG_LEVEL',
    flag: 'log-level',
    description: 'log level: fatal, error, warn, info, debug or trace',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    default: 'info',
  }),
};

/**
 * Interface of a service's /metrics, /healthz and /readyz server; each service adds it next to
 * its own port setting (the ports differ, so that services can share a machine).
 */
export const metricsHostSetting = setting({
  env: 'RNNFLOW_METRICS_HOST',
  flag: 'metrics-host',
  description:
    'address the /metrics, /healthz and /readyz server listens on: 0.0.0.0 all interfaces (a scraper in another container or pod), 127.0.0.1 this machine only',
  schema: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:-]+$/, 'expected an IP address or a host name'),
  default: '0.0.0.0',
});
