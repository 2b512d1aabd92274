import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { redactUrl } from './redis.url.js';
import { StateUnavailableError } from './state.errors.js';

/**
 * Where state lives, as the service settings describe it (`REDIS_URL`, `REDIS_CLUSTER_NODES`):
 * one Redis by URL, or a Redis Cluster by seed nodes plus (optionally) a URL for its credentials.
 */
export type RedisConnectionOptions =
  | { url: string; clusterNodes?: undefined; tls?: TlsOptions }
  | {
      /** Seed nodes as `host:port`; the rest of the cluster is discovered from them. */
      clusterNodes: readonly string[];
      /** Only its scheme (`rediss://` = TLS) and ACL credentials count; they apply to every node. */
      url?: string;
      tls?: TlsOptions;
    };

// Both forms: `url` is `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS, with the
// ACL user and password URL-encoded; `tls` adds TLS settings (e.g. `{ ca }` for a private CA).

/** A connected client for a single Redis or a Cluster. */
export type RedisConnection = Redis | Cluster;

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects and waits until the server (or every slot of the cluster) is ready, so the first batch
 * never waits in the offline queue. Throws StateUnavailableError (retriable) if Redis cannot be reached.
 */
export async function createRedisConnection(
  options: RedisConnectionOptions,
): Promise<RedisConnection> {
  const url = options.url ?? 'redis://';
  if (options.tls && !url.startsWith('rediss://')) {
    throw new RangeError(`TLS settings given for ${redactUrl(url)}: use a rediss:// URL`);
  }
  const connection = options.clusterNodes
    ? cluster(options.clusterNodes, parseUrl(url), options.tls)
    : singleRedis(url, options.tls);
  // ioredis also emits 'error' on reconnect attempts; callers see failures through rejected commands.
  connection.on('error', () => {});
  try {
    await connection.connect();
    return connection;
  } catch (error) {
    connection.disconnect();
    const where = options.clusterNodes ? options.clusterNodes.join(',') : redactUrl(url);
    throw new StateUnavailableError(
      `cannot connect to Redis at ${where}: check that it runs and the credentials`,
      error,
    );
  }
}

function singleRedis(url: string, tls: TlsOptions | undefined): Redis {
  return new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, tls });
}

function cluster(nodes: readonly string[], url: URL, tlsOptions: TlsOptions | undefined): Cluster {
  if (nodes.length === 0) throw new RangeError('clusterNodes must name at least one host:port');
  if (url.pathname.length > 1 && url.pathname !== '/0') {
    throw new RangeError(`Redis Cluster has only database 0; drop ${url.pathname} from REDIS_URL`);
  }
  const tls = url.protocol === 'rediss:' ? (tlsOptions ?? {}) : undefined;
  return new Cluster(nodes.map(parseHostPort), {
    lazyConnect: true,
    redisOptions: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      tls,
    },
  });
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw new RangeError(`not a redis:// or rediss:// URL: ${redactUrl(url)}`, { cause: error });
  }
}

/** `host:port` (IPv6 in brackets: `[::1]:7000`) → `{ host, port }`. */
export function parseHostPort(node: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(node.trim());
  if (!match) throw new RangeError(`cluster node must be host:port, got "${node}"`);
  return { host: match[1], port: Number(match[2]) };
}
