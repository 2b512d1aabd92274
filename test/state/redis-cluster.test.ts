import { startRedisCluster, type RedisClusterHandle } from '@rnnflow/devstack';
import type { RedisConnection } from '@rnnflow/redis';
import { createRedisConnection } from '@rnnflow/state';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineStateSuite } from './state.suite.js';
import { defineTwoPhaseSuite } from './two-phase.suite.js';

// Three masters from redis-server processes on loopback ports, started once for this file.
let cluster: RedisClusterHandle;
let redis: RedisConnection;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  redis = await createRedisConnection({ clusterNodes: cluster.nodes });
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

const target = { redis: () => redis, masters: 3 };
defineStateSuite('a 3-master Redis Cluster', target);
defineTwoPhaseSuite('a 3-master Redis Cluster', target);

describe('redis cluster connection', () => {
  it('sends the ACL user and password of the URL to every node', async () => {
    const masters = (redis as Cluster).nodes('master');
    await Promise.all(
      masters.map((node) => node.acl('SETUSER', 'predictor', 'on', '>pw%1', '~*', '+@all')),
    );
    const connection = await createRedisConnection({
      clusterNodes: cluster.nodes,
      url: `redis://predictor:${encodeURIComponent('pw%1')}@ignored-host:1`,
    });
    try {
      const whoami = await Promise.all(
        (connection as Cluster).nodes('master').map((node) => node.acl('WHOAMI')),
      );
      expect(whoami).toEqual(['predictor', 'predictor', 'predictor']);
    } finally {
      connection.disconnect();
    }
  });
});
