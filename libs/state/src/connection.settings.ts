import type { RedisConnectionOptions } from './redis.connection.js';

/** The Redis settings every service shares (`redisSettings` of `@rnnflow/config`). */
export interface RedisConnectionSettings {
  redisUrl: string;
  redisClusterNodes?: string[];
  redisConnectTimeoutMs?: number;
  redisCommandTimeoutMs?: number;
}

/** Connection options from the shared settings: a cluster when seed nodes are given. */
export function redisConnectionOptions(settings: RedisConnectionSettings): RedisConnectionOptions {
  const timeouts = {
    connectTimeoutMs: settings.redisConnectTimeoutMs,
    commandTimeoutMs: settings.redisCommandTimeoutMs,
  };
  return settings.redisClusterNodes === undefined
    ? { url: settings.redisUrl, ...timeouts }
    : { clusterNodes: settings.redisClusterNodes, url: settings.redisUrl, ...timeouts };
}
