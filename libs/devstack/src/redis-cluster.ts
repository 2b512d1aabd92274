import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { DevstackError } from './devstack.errors.js';
import { startRedis, type RedisHandle } from './redis-server.js';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Master count; `redis-cli --cluster create` needs at least 3. */
  masters?: number;
}

export interface RedisClusterHandle {
  /** `host:port` of every master, for ioredis `Cluster` or `REDIS_CLUSTER_NODES`. */
  nodes: string[];
  stop(): Promise<void>;
}

const CLUSTER_READY_TIMEOUT_MS = 15_000;

/** Starts a Redis Cluster of masters on loopback ports, slots spread evenly, no replicas. */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const servers: RedisHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let index = 0; index < masters; index += 1) {
      servers.push(
        await startRedis({
          extraArgs: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      );
    }
    const nodes = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(servers.map((server) => waitForClusterOk(server.url)));
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every node must agree the cluster is ok before clients get MOVED-free routing. */
async function waitForClusterOk(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const deadline = Date.now() + CLUSTER_READY_TIMEOUT_MS;
  try {
    while (!/cluster_state:ok/.test(await client.cluster('INFO'))) {
      if (Date.now() > deadline) {
        throw new DevstackError(
          'DEVSTACK_CLUSTER_NOT_READY',
          `Redis cluster node ${url} not ok after ${CLUSTER_READY_TIMEOUT_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.disconnect();
  }
}
