import { describe, expect, it } from 'vitest';
import { environmentWithoutSettings } from './child.environment.js';

describe('environmentWithoutSettings', () => {
  it('keeps everything but rnnflow, Kafka and Redis settings', () => {
    const environment = {
      PATH: '/bin',
      HOME: '/root',
      RNNFLOW_MODEL: 'm',
      KAFKA_BROKERS: 'b:9092',
      REDIS_URL: 'redis://r',
      MY_REDIS_URL: 'kept',
    };
    expect(environmentWithoutSettings(environment)).toEqual({
      PATH: '/bin',
      HOME: '/root',
      MY_REDIS_URL: 'kept',
    });
  });
});
