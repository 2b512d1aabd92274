import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnTethered, type TetheredProcess } from './child-process.js';
import { DevstackError } from './devstack.errors.js';
import { findFreePort } from './free-port.js';

export interface RedisOptions {
  /** Use this server instead of starting one (it is then never stopped or flushed by us). */
  url?: string;
  /** Append-only file with fsync every second, as production runs Redis; survives `restart()`. */
  appendOnly?: boolean;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  extraArgs?: readonly string[];
}

export interface RedisHandle {
  url: string;
  /** False when `url` was given: the server belongs to someone else. */
  owned: boolean;
  port: number;
  /** Stops the server and starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops the server (if ours) and removes its data directory. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** Uses `options.url` when given; otherwise starts a redis-server on a free loopback port. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisHandle> {
  if (options.url !== undefined) return borrowRedis(options.url);
  const directory = await mkdtemp(join(tmpdir(), 'rnnflow-redis-'));
  try {
    return await startOwnedRedis(directory, options);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

async function borrowRedis(url: string): Promise<RedisHandle> {
  await waitForPing(url, START_TIMEOUT_MS);
  const port = Number(new URL(url).port || 6379);
  const nothing = async () => {};
  return { url, owned: false, port, restart: nothing, stop: nothing };
}

/** Ports tried before giving up when another process takes the free port first. */
const PORT_ATTEMPTS = 5;

async function startOwnedRedis(directory: string, options: RedisOptions): Promise<RedisHandle> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    try {
      return await startOwnedRedisOn(port, directory, options);
    } catch (error) {
      // Another process (a test run beside this one) bound the port between our probe and
      // redis-server's start: try another.
      const log = await readFile(join(directory, 'redis.log'), 'utf8').catch(() => '');
      const taken =
        error instanceof DevstackError &&
        error.code === 'DEVSTACK_REDIS_EXITED' &&
        log.includes('Address already in use');
      if (!taken || attempt === PORT_ATTEMPTS) throw error;
      await rm(join(directory, 'redis.log'), { force: true });
    }
  }
}

async function startOwnedRedisOn(
  port: number,
  directory: string,
  options: RedisOptions,
): Promise<RedisHandle> {
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    directory,
    '--save',
    '',
    '--appendonly',
    options.appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--logfile',
    join(directory, 'redis.log'),
    ...(options.extraArgs ?? []),
  ];
  let server = await launch(args, url);
  return {
    url,
    owned: true,
    port,
    async restart() {
      await server.stop();
      server = await launch(args, url);
    },
    async stop() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function launch(args: readonly string[], url: string): Promise<TetheredProcess> {
  const server = spawnTethered('redis-server', args);
  const exitedEarly = server.exited.then((code) => {
    throw code === 127
      ? new DevstackError(
          'DEVSTACK_MISSING_PACKAGE',
          'redis-server is not installed: install the Debian package "redis-server" (scripts/setup.sh does), or set REDIS_URL, or use docker-compose.yml',
        )
      : new DevstackError(
          'DEVSTACK_REDIS_EXITED',
          `redis-server exited with code ${code} while starting (${url})`,
        );
  });
  try {
    await Promise.race([waitForPing(url, START_TIMEOUT_MS), exitedEarly]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  exitedEarly.catch(() => {});
  return server;
}

/** Polls PING until the server answers, so callers never see a half-started server. */
async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    for (;;) {
      try {
        if (client.status !== 'ready') await client.connect();
        await client.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new DevstackError(
            'DEVSTACK_REDIS_UNREACHABLE',
            `Redis at ${url} did not answer PING within ${timeoutMs} ms`,
            {
              retriable: true,
              cause: error,
            },
          );
        }
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    client.disconnect();
  }
}
