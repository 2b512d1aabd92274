import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config.errors.js';
import { brokerListSchema, featureIndexListSchema, portSchema, redisUrlSchema } from './schemas.js';
import { metricsHostSetting } from './common.settings.js';
import { loadSettings, setting } from './settings.js';

const specs = {
  brokers: setting({
    env: 'KAFKA_BROKERS',
    flag: 'brokers',
    description: 'brokers',
    schema: brokerListSchema,
  }),
  metricsPort: setting({
    env: 'RNNFLOW_METRICS_PORT',
    flag: 'metrics-port',
    description: 'port',
    schema: portSchema(),
    default: '9464',
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    flag: 'redis-url',
    description: 'redis',
    schema: redisUrlSchema,
    secret: true,
  }),
  delivery: setting({
    env: 'RNNFLOW_DELIVERY',
    flag: 'delivery',
    description: 'mode',
    schema: z.enum(['at-least-once', 'exactly-once']),
    default: 'at-least-once',
  }),
};

describe('loadSettings', () => {
  it('takes flags over environment over defaults, and parses values', () => {
    const settings = loadSettings(specs, {
      env: { KAFKA_BROKERS: 'a:1, b:2', RNNFLOW_METRICS_PORT: '1000', REDIS_URL: 'redis://x:6379' },
      flags: { 'metrics-port': '2000' },
    });
    expect(settings).toEqual({
      brokers: ['a:1', 'b:2'],
      metricsPort: 2000,
      redisUrl: 'redis://x:6379',
      delivery: 'at-least-once',
    });
  });

  it('names every bad setting by flag and variable, and hides secrets', () => {
    let caught: unknown;
    try {
      loadSettings(specs, {
        env: {
          KAFKA_BROKERS: 'nohostport',
          RNNFLOW_METRICS_PORT: 'abc',
          REDIS_URL: 'http://user:pw@x',
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^--brokers \/ KAFKA_BROKERS: .*host:port/);
    expect(problems[1]).toMatch(/^--metrics-port \/ RNNFLOW_METRICS_PORT: .*"abc"/);
    expect(problems[2]).toMatch(/^--redis-url \/ REDIS_URL: .*\(hidden\)/);
    expect(problems[2]).not.toContain('pw');
  });

  it('reports a missing required setting', () => {
    expect(() => loadSettings(specs, { env: { REDIS_URL: 'redis://x' } })).toThrow(
      /KAFKA_BROKERS: .*got nothing/,
    );
  });
});

describe('featureIndexListSchema', () => {
  it('reads indices, and an empty list as none', () => {
    expect(featureIndexListSchema.parse('0, 2')).toEqual([0, 2]);
    expect(featureIndexListSchema.parse('')).toBeNull();
    expect(featureIndexListSchema.safeParse('a,1').success).toBe(false);
  });
});

describe('metricsHostSetting', () => {
  const load = (env: Record<string, string>) =>
    loadSettings({ host: metricsHostSetting }, { env }).host;

  it('listens on all interfaces unless told, and takes an address or a host name', () => {
    expect(load({})).toBe('0.0.0.0');
    expect(load({ RNNFLOW_METRICS_HOST: '127.0.0.1' })).toBe('127.0.0.1');
    expect(load({ RNNFLOW_METRICS_HOST: '::1' })).toBe('::1');
    expect(load({ RNNFLOW_METRICS_HOST: 'pod-a.internal' })).toBe('pod-a.internal');
    expect(() => load({ RNNFLOW_METRICS_HOST: 'http://x/' })).toThrow(
      /--metrics-host \/ RNNFLOW_METRICS_HOST: expected an IP address or a host name/,
    );
  });
});
