import type { Cluster, Redis } from 'ioredis';

/** A connected client for a single Redis or a Cluster: what state and the registry run on. */
export type RedisConnection = Redis | Cluster;
