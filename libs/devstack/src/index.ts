export { DevstackError } from './devstack.error.js';
export { spawnTethered } from './child-process.js';
export type { TetheredProcess } from './child-process.js';
export { findFreePort } from './free-port.js';
export { startRedis, waitForPing } from './redis-server.js';
export type { RedisHandle, RedisOptions } from './redis-server.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterHandle, RedisClusterOptions } from './redis-cluster.js';
