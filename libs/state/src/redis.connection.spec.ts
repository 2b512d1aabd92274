import { describe, expect, it } from 'vitest';
import { parseHostPort } from './redis.connection.js';
import { redactUrl } from './redis.url.js';

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
    expect(redactUrl('redis://secret@redis:6379')).toBe('redis://***@redis:6379');
  });

  it('hides all of a password holding an unencoded @ or /', () => {
    expect(redactUrl('redis://app:p@ss@w0rd@redis:6379/1')).toBe('redis://app:***@redis:6379/1');
    expect(redactUrl('rediss://app:a/b@c@redis:6380')).toBe('rediss://app:***@redis:6380');
    expect(redactUrl('redis://:@@@redis:6379')).toBe('redis://:***@redis:6379');
    expect(redactUrl('app:p@ss@redis:6379')).toBe('app:***@redis:6379');
  });
});
