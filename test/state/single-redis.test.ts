import { startRedis, type RedisHandle } from '@rnnflow/devstack';
import type { RedisConnection } from '@rnnflow/redis';
import { StateUnavailableError, createRedisConnection } from '@rnnflow/state';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineStateSuite } from './state.suite.js';
import { defineTwoPhaseSuite } from './two-phase.suite.js';

// An own redis-server, not the shared one: the suite runs SCRIPT FLUSH and ACL SETUSER.
let server: RedisHandle;
let redis: RedisConnection;

beforeAll(async () => {
  server = await startRedis();
  redis = await createRedisConnection({ url: server.url });
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const target = { redis: () => redis, masters: 1 };
defineStateSuite('a single Redis', target);
defineTwoPhaseSuite('a single Redis', target);

describe('redis connection from a URL', () => {
  it('passes the ACL user and password through, and says when they are wrong', async () => {
    const admin = new Redis(server.url);
    try {
      await admin.acl('SETUSER', 'predictor', 'on', '>s3cr@t', '~*', '+@all');
      const url = `redis://predictor:${encodeURIComponent('s3cr@t')}@127.0.0.1:${server.port}`;
      const connection = await createRedisConnection({ url });
      expect(await connection.acl('WHOAMI')).toBe('predictor');
      connection.disconnect();
      const wrong = createRedisConnection({
        url: `redis://predictor:nope@127.0.0.1:${server.port}`,
      });
      await expect(wrong).rejects.toBeInstanceOf(StateUnavailableError);
      await expect(wrong).rejects.toThrow(/predictor:\*\*\*@/);
    } finally {
      admin.disconnect();
    }
  });
});
