import type { ConnectionOptions } from 'node:tls';
import type { StreamLogLevel, StreamLogSink } from './kafka.log.js';

/** SASL credentials; the mechanism names match the `KAFKA_SASL_MECHANISM` setting. */
export interface SaslCredentials {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** Options of {@link createKafkaClient}. */
export interface KafkaClientOptions {
  /** Bootstrap brokers, `host:port`, at least one. */
  brokers: readonly string[];
  /** Identifies this process in broker logs and quotas, non-empty. */
  clientId: string;
  /** TLS: `true` for system CAs, or Node TLS options (CA, client certificate), passed through. */
  ssl?: boolean | ConnectionOptions;
  sasl?: SaslCredentials;
  /** Receives client log lines; without it nothing is logged. */
  log?: StreamLogSink;
  /** Least severe level sent to `log`. Default `warn`. */
  logLevel?: StreamLogLevel | 'nothing';
  /** TCP connect timeout, ms. Default 3000. */
  connectionTimeoutMs?: number;
  /** Per-request timeout, ms. Default 30000. */
  requestTimeoutMs?: number;
  /** Retries kafkajs makes of each failed request before reporting it. Default 5. */
  requestRetries?: number;
}
