import { z } from 'zod';
import { booleanSchema, brokerListSchema, redisUrlSchema } from './schemas.js';
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
    description: 'SASL password',
    schema: z.string().optional(),
    secret: true,
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
