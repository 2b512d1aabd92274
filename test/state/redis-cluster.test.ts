import { startRedisCluster, type RedisClusterHandle } from '@rnnflow/devstack';
import { createRedisConnection, type RedisConnection } from '@rnnflow/state';
import { afterAll, beforeAll } from 'vitest';
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
