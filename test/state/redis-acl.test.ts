import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisHandle } from '@rnnflow/devstack';
import type { RedisConnection } from '@rnnflow/redis';
import { StatePermissionError, checkStateRights, createRedisConnection } from '@rnnflow/state';
import { ServiceProcess } from '../support/rnnflow.process.js';

// The rights a predictor's state needs, as the README's ACL example grants them.
const FULL = '+ping +get +mget +set +incr +del +evalsha +eval ~rnnflow:*';

/** Users of the Redis under test: name → ACL rules after `on >password`. */
const USERS: Record<string, string> = {
  full: FULL,
  'no-eval': '+ping +get +mget +set +incr +del ~rnnflow:*',
  'no-evalsha': '+ping +get +mget +set +incr +del +eval ~rnnflow:*',
  'other-keys': '+ping +get +mget +set +incr +del +evalsha +eval ~other:*',
  'read-only-keys': '+ping +get +mget +set +incr +del +evalsha +eval %R~rnnflow:*',
  'no-del': '+ping +get +mget +set +incr +evalsha +eval ~rnnflow:*',
};
const PASSWORD = 'acl-test-pw';

describe('checkStateRights: a dry run of the state commands and scripts under Redis ACLs', () => {
  let server: RedisHandle;
  let admin: Redis;
  const connections: RedisConnection[] = [];

  const urlOf = (user: string) => `redis://${user}:${PASSWORD}@127.0.0.1:${server.port}`;
  async function connectAs(user: string): Promise<RedisConnection> {
    const connection = await createRedisConnection({ url: urlOf(user) });
    connections.push(connection);
    return connection;
  }

  beforeAll(async () => {
    server = await startRedis();
    admin = new Redis(server.url);
    for (const [user, rules] of Object.entries(USERS)) {
      await admin.call('ACL', 'SETUSER', user, 'on', `>${PASSWORD}`, ...rules.split(' '));
    }
  });
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  it('passes for a user with the rights, and leaves no probe key behind', async () => {
    // Twice: the second run finds the scripts cached (EVALSHA) and must still pass.
    for (let run = 0; run < 2; run += 1) {
      await checkStateRights(await connectAs('full'), { model: 'sensors', topic: 'events' });
    }
    expect(await admin.keys('*')).toEqual([]);
  });

  it.each([
    ['no-eval', /may not run the writeStable script .*NOPERM.*'eval(sha)?'/],
    ['no-evalsha', /may not run .*NOPERM.*'evalsha' command/],
    ['other-keys', /may not INCR the partition epoch .*NOPERM/],
    ['read-only-keys', /may not INCR the partition epoch .*NOPERM/],
    ['no-del', /may not run the discardPending script .*can't run this command/],
  ])('refuses a user %s, naming what Redis refused and the rights to grant', async (user, step) => {
    const connection = await connectAs(user);
    const error: unknown = await checkStateRights(connection, {
      model: 'sensors',
      topic: 'events',
    }).then(
      () => new Error('the check passed'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StatePermissionError);
    const { code, retriable, message } = error as StatePermissionError;
    console.info(`${user}: ${message}`);
    expect({ code, retriable }).toEqual({ code: 'STATE_NO_PERMISSION', retriable: false });
    expect(message).toMatch(step);
    expect(message).toContain('keys rnnflow:{sensors:events:*}:*');
    expect(message).toContain(`ACL SETUSER <user> ${FULL}`);
    expect(message).not.toContain(PASSWORD);
  });

  it('stops a predictor at start with the message, before it takes partitions', async () => {
    const predictor = new ServiceProcess(['predictor'], {
      KAFKA_BROKERS: '127.0.0.1:9',
      REDIS_URL: urlOf('no-eval'),
      RNNFLOW_MODEL: 'sensors',
      RNNFLOW_METRICS_PORT: '0',
      RNNFLOW_LOG_LEVEL: 'info',
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!predictor.log.includes('STATE') && !predictor.log.includes('may not')) {
        if (Date.now() > deadline) throw new Error(`no refusal within 30 s:\n${predictor.log}`);
        if (predictor.child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(predictor.log).toMatch(
        /rnnflow: the Redis user of REDIS_URL may not run the writeStable script/,
      );
      expect(predictor.log).not.toContain('partitions assigned');
      expect(predictor.log).not.toContain(PASSWORD);
    } finally {
      await predictor.stop();
    }
  });
});
