import { describe, expect, it } from 'vitest';
import { createKafkaClient } from './kafka.client.js';
import { StreamOptionError } from './stream.errors.js';

const valid = { brokers: ['127.0.0.1:9092'], clientId: 'predictor' };

describe('createKafkaClient', () => {
  it('accepts host:port brokers, IPv6 included, without connecting', () => {
    expect(() =>
      createKafkaClient({ ...valid, brokers: ['kafka-1:9092', '[::1]:9093'] }),
    ).not.toThrow();
  });

  it('fails fast on options that could never work', () => {
    const bad = [
      { ...valid, brokers: [] },
      { ...valid, brokers: ['kafka-1'] },
      { ...valid, clientId: ' ' },
      { ...valid, sasl: { mechanism: 'gssapi' as 'plain', username: 'u', password: 'p' } },
      { ...valid, sasl: { mechanism: 'scram-sha-512' as const, username: 'u', password: '' } },
    ];
    for (const options of bad) {
      expect(() => createKafkaClient(options)).toThrow(StreamOptionError);
    }
  });
});
