import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { StateUnavailableError } from './state.errors.js';

/**
 * Where state lives. Either one Redis by URL — `redis://[user:password@]host:port[/db]`, or
 * `rediss://` for TLS, both handled by ioredis — or a Redis Cluster by its seed nodes.
 */
export type RedisConnectionOptions =
  | {
      url: string;
      /** Extra TLS settings for a `rediss://` URL, e.g. `{ ca }` for a private CA. */
      tls?: TlsOptions;
    }
  | {
      /** Seed nodes as `host:port`; the rest of the cluster is discovered from them. */
      clusterNodes: readonly string[];
      /** ACL user and password, sent to every node. */
      username?: string;
      password?: string;
      /** Connect to every node over TLS with these settings (`{}` for the system CAs). */
      tls?: TlsOptions;
    };

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
  const connection = 'url' in options ? singleRedis(options.url, options.tls) : cluster(options);
  // ioredis also emits 'error' on reconnect attempts; callers see failures through rejected commands.
  connection.on('error', () => {});
  try {
    await connection.connect();
    return connection;
  } catch (error) {
    connection.disconnect();
    const where = 'url' in options ? redactUrl(options.url) : options.clusterNodes.join(',');
    throw new StateUnavailableError(
      `cannot connect to Redis at ${where}: check that it runs and the credentials`,
      error,
    );
  }
}

function singleRedis(url: string, tls: TlsOptions | undefined): Redis {
  if (tls && !url.startsWith('rediss://')) {
    throw new RangeError(`TLS settings given for ${redactUrl(url)}: use a rediss:// URL for TLS`);
  }
  return new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, tls });
}

function cluster(options: Exclude<RedisConnectionOptions, { url: string }>): Cluster {
  const nodes = options.clusterNodes.map(parseHostPort);
  return new Cluster(nodes, {
    lazyConnect: true,
    redisOptions: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      username: options.username,
      password: options.password,
      tls: options.tls,
    },
  });
}

/** `host:port` (IPv6 in brackets: `[::1]:7000`) → `{ host, port }`. */
export function parseHostPort(node: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(node.trim());
  if (!match) throw new RangeError(`cluster node must be host:port, got "${node}"`);
  return { host: match[1], port: Number(match[2]) };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
