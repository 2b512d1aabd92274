import { describe, expect, it } from 'vitest';
import { librdkafkaProducerConfig } from './librdkafka.config.js';
import { StreamOptionError } from './stream.errors.js';

const tuning = { compression: 'lz4', deliveryTimeoutMs: 7000 } as const;

describe('librdkafkaProducerConfig', () => {
  it('keeps the kafkajs producer’s contract: all-replica acks, Java-compatible partitioning', () => {
    const { global, topic } = librdkafkaProducerConfig(
      { brokers: ['a:9092', 'b:9093'], clientId: 'predictor', requestTimeoutMs: 5000 },
      tuning,
    );
    expect(global).toMatchObject({
      'metadata.broker.list': 'a:9092,b:9093',
      'client.id': 'predictor',
      'compression.codec': 'lz4',
      'security.protocol': 'plaintext',
      log_level: 4,
    });
    // Topic properties must not sit among the global ones, where node-rdkafka drops them.
    expect(topic).toEqual({
      'request.timeout.ms': 5000,
      'message.timeout.ms': 7000,
      'request.required.acks': -1,
      partitioner: 'murmur2_random',
    });
    expect(Object.keys(global)).not.toContain('partitioner');
  });

  it('passes SASL credentials and TLS material through', () => {
    const { global } = librdkafkaProducerConfig(
      {
        brokers: ['a:9092'],
        clientId: 'c',
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
        ssl: { ca: [Buffer.from('CA1'), 'CA2'], rejectUnauthorized: false },
      },
      tuning,
    );
    expect(global).toMatchObject({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
      'ssl.ca.pem': 'CA1\nCA2',
      'enable.ssl.certificate.verification': false,
    });
  });

  it('refuses a TLS option librdkafka cannot express instead of ignoring it', () => {
    const build = () =>
      librdkafkaProducerConfig(
        { brokers: ['a:9092'], clientId: 'c', ssl: { ciphers: 'HIGH' } },
        tuning,
      );
    expect(build).toThrow(StreamOptionError);
    expect(build).toThrow(/ciphers.*RNNFLOW_KAFKA_PRODUCER=kafkajs/);
  });
});
