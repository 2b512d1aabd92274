import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RedisConnection } from '@rnnflow/redis';
import { Cluster, Redis } from 'ioredis';
import { redactUrl } from './redis.url.js';
import { StateUnavailableError } from './state.errors.js';

/**
 * Where state lives, as the service settings describe it (`REDIS_URL`, `REDIS_CLUSTER_NODES`):
 * one Redis by URL, or a Redis Cluster by seed nodes plus (optionally) a URL for its credentials.
 */
export type RedisConnectionOptions = RedisTimeouts &
  (
    | { url: string; clusterNodes?: undefined; tls?: TlsOptions }
    | {
        /** Seed nodes as `host:port`; the rest of the cluster is discovered from them. */
        clusterNodes: readonly string[];
        /** Only its scheme (`rediss://` = TLS) and ACL credentials count; they apply to every node. */
        url?: string;
        tls?: TlsOptions;
      }
  );

/** How long to wait on Redis (`REDIS_CONNECT_TIMEOUT_MS`, `REDIS_COMMAND_TIMEOUT_MS`). */
export interface RedisTimeouts {
  /** Longest the connection (TCP, TLS, AUTH, ready check and a PING) may take; default 5000. */
  connectTimeoutMs?: number;
  /**
   * A command without a reply after this long rejects with a timeout, so that a frozen server
   * fails calls instead of hanging them; default 5000. The command may still run on the server.
   */
  commandTimeoutMs?: number;
}

// Both forms: `url` is `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS, with the
// ACL user and password URL-encoded; `tls` adds TLS settings (e.g. `{ ca }` for a private CA).

const DEFAULT_TIMEOUT_MS = 5000;
/**
 * Reconnect delays grow by 50 ms up to this cap (ioredis's default caps at 2 s): a Redis that
 * comes back is in use again, and readiness true again, within about half a second.
 */
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * Connects, waits until the server (or every slot of the cluster) is ready and answers a PING, so
 * the first batch never waits in the offline queue. Throws StateUnavailableError when Redis cannot
 * be reached, refuses the credentials (not retriable), or does not answer within the connect
 * timeout (a frozen server accepts the TCP connection and never replies).
 */
export async function createRedisConnection(
  options: RedisConnectionOptions,
): Promise<RedisConnection> {
  const url = options.url ?? 'redis://';
  if (options.tls && !url.startsWith('rediss://')) {
    throw new RangeError(`TLS settings given for ${redactUrl(url)}: use a rediss:// URL`);
  }
  const timeouts = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const connection = options.clusterNodes
    ? cluster(options.clusterNodes, parseUrl(url), options.tls, timeouts)
    : singleRedis(url, options.tls, timeouts);
  // ioredis also emits 'error' on reconnect attempts; callers see failures through rejected
  // commands. The last one before the connection is up says why it failed (WRONGPASS, …).
  let lastError: Error | undefined;
  connection.on('error', (error: Error) => (lastError = error));
  const where = options.clusterNodes ? options.clusterNodes.join(',') : redactUrl(url);
  try {
    await answered(connection, timeouts.connectTimeoutMs, where);
    return connection;
  } catch (error) {
    connection.disconnect();
    throw connectFailure(where, lastError, error);
  }
}

/** Connects and PINGs within `timeoutMs`. */
async function answered(connection: RedisConnection, timeoutMs: number, where: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StateUnavailableError(
            `Redis at ${where} did not answer within ${timeoutMs} ms (not running, unreachable, or frozen): check it, or raise REDIS_CONNECT_TIMEOUT_MS (--redis-connect-timeout-ms)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([connection.connect().then(() => connection.ping()), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error to report for a failed connection: a refusal of the credentials or of a command
 * (Redis error codes WRONGPASS, NOAUTH, NOPERM) needs a fix, not a retry.
 */
function connectFailure(where: string, lastError: Error | undefined, error: unknown): Error {
  if (error instanceof StateUnavailableError) return error;
  const code = /^(WRONGPASS|NOAUTH|NOPERM)\b/.exec(lastError?.message ?? '')?.[1];
  if (code !== undefined) {
    return new StateUnavailableError(
      `Redis at ${where} refused the credentials (${code}): set the ACL user and password in REDIS_URL (--redis-url), redis://user:password@host:port`,
      lastError,
      { retriable: false },
    );
  }
  const reason = lastError?.message ?? (error instanceof Error ? error.message : String(error));
  return new StateUnavailableError(
    `cannot connect to Redis at ${where} (${reason}): check that it runs and REDIS_URL (--redis-url)`,
    lastError ?? error,
  );
}

function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS);
}

function clientOptions(tls: TlsOptions | undefined, timeouts: Required<RedisTimeouts>) {
  return {
    connectTimeout: timeouts.connectTimeoutMs,
    commandTimeout: timeouts.commandTimeoutMs,
    retryStrategy: reconnectDelay,
    tls,
  };
}

function singleRedis(
  url: string,
  tls: TlsOptions | undefined,
  timeouts: Required<RedisTimeouts>,
): Redis {
  return new Redis(url, { lazyConnect: true, ...clientOptions(tls, timeouts) });
}

function cluster(
  nodes: readonly string[],
  url: URL,
  tlsOptions: TlsOptions | undefined,
  timeouts: Required<RedisTimeouts>,
): Cluster {
  if (nodes.length === 0) throw new RangeError('clusterNodes must name at least one host:port');
  if (url.pathname.length > 1 && url.pathname !== '/0') {
    throw new RangeError(`Redis Cluster has only database 0; drop ${url.pathname} from REDIS_URL`);
  }
  const tls = url.protocol === 'rediss:' ? (tlsOptions ?? {}) : undefined;
  return new Cluster(nodes.map(parseHostPort), {
    lazyConnect: true,
    clusterRetryStrategy: reconnectDelay,
    redisOptions: {
      ...clientOptions(tls, timeouts),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
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
