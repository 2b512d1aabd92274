import { describe, expect, it } from 'vitest';
import { RedisHealth } from './redis.health.js';

/** A PING whose reply the test decides, on a clock the test moves. */
function fakeRedis() {
  const replies: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    replies,
    ping: () =>
      new Promise<'PONG'>((resolve, reject) =>
        replies.push({ resolve: () => resolve('PONG'), reject }),
      ),
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('RedisHealth', () => {
  it('is healthy while PINGs are answered in time', async () => {
    let now = 0;
    const redis = fakeRedis();
    const health = new RedisHealth(redis, { timeoutMs: 1000, now: () => now });
    health.tick();
    now = 200;
    redis.replies[0].resolve();
    await settled();
    expect(health.healthy()).toBe(true);
  });

  it('turns unhealthy when a PING is overdue (frozen server) and healthy when it is answered', async () => {
    let now = 0;
    const redis = fakeRedis();
    const health = new RedisHealth(redis, { timeoutMs: 1000, now: () => now });
    health.tick();
    now = 900;
    expect(health.healthy()).toBe(true);
    now = 1001;
    expect(health.healthy()).toBe(false);
    health.tick(); // still in flight: no second PING piles up behind the first
    expect(redis.replies).toHaveLength(1);
    redis.replies[0].resolve();
    await settled();
    expect(health.healthy()).toBe(true);
  });

  it('turns unhealthy on a failed PING (Redis gone) until one succeeds', async () => {
    const redis = fakeRedis();
    const health = new RedisHealth(redis, { now: () => 0 });
    health.tick();
    redis.replies[0].reject(new Error('Connection is closed.'));
    await settled();
    expect(health.healthy()).toBe(false);
    health.tick();
    redis.replies[1].resolve();
    await settled();
    expect(health.healthy()).toBe(true);
  });
});
