import { describe, expect, it } from 'vitest';
import { parseHostPort, redactUrl } from './redis.connection.js';

describe('redis connection settings', () => {
  it('parses cluster nodes', () => {
    expect(parseHostPort('127.0.0.1:7000')).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(parseHostPort(' redis-a.internal:6380 ')).toEqual({
      host: 'redis-a.internal',
      port: 6380,
    });
    expect(parseHostPort('[::1]:7001')).toEqual({ host: '::1', port: 7001 });
    expect(() => parseHostPort('127.0.0.1')).toThrow(RangeError);
  });

  it('hides the password in messages', () => {
    expect(redactUrl('rediss://app:s3cr%40t@redis:6380/0')).toBe('rediss://app:***@redis:6380/0');
    expect(redactUrl('redis://:pw@redis:6379')).toBe('redis://:***@redis:6379');
    expect(redactUrl('redis://redis:6379')).toBe('redis://redis:6379');
  });
});
