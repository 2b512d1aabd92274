import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsError } from './metrics.errors.js';
import type { ScrapeSource } from './metrics.registry.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** TCP port; 0 picks a free one (read it from the handle). */
  port: number;
  /** Interface to bind; default `0.0.0.0` so Prometheus can scrape from outside. */
  host?: string;
  /** What `/metrics` serves: a process's registry, or a cluster primary's merged view. */
  metrics: ScrapeSource;
  /** Whether the service can take work now; answers `/readyz`. A throw counts as not ready. */
  readiness: () => boolean | Promise<boolean>;
}

/** A running metrics server. */
export interface MetricsServerHandle {
  /** The bound port (the chosen one when started with port 0). */
  readonly port: number;
  /** The bound interface. */
  readonly host: string;
  /** Stops listening and drops open connections; resolves once the socket is closed. */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * Serves `/metrics` (Prometheus text format), `/healthz` (200 while the event loop answers),
 * `/readyz` (200 when `readiness()` is true, else 503); 404 for other paths, 405 for methods
 * other than GET and HEAD.
 */
export async function startMetricsServer(
  options: MetricsServerOptions,
): Promise<MetricsServerHandle> {
  const host = options.host ?? '0.0.0.0';
  const server = createServer((request, response) => {
    route(request, options).then(
      (reply) => send(response, reply, request.method === 'HEAD'),
      (error: unknown) =>
        send(response, { status: 500, type: TEXT, body: `${String(error)}\n` }, false),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new MetricsError(
          `metrics server cannot listen on ${host}:${options.port}: ${cause.message}`,
          { cause },
        ),
      ),
    );
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    host,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

async function route(request: IncomingMessage, options: MetricsServerOptions): Promise<Reply> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return {
      status: 405,
      type: TEXT,
      body: 'method not allowed\n',
      headers: { allow: 'GET, HEAD' },
    };
  }
  const path = (request.url ?? '/').split('?', 1)[0];
  switch (path) {
    case '/metrics':
      return {
        status: 200,
        type: options.metrics.contentType,
        body: await options.metrics.scrape(),
      };
    case '/healthz':
      return { status: 200, type: TEXT, body: 'ok\n' };
    case '/readyz':
      return (await isReady(options.readiness))
        ? { status: 200, type: TEXT, body: 'ready\n' }
        : { status: 503, type: TEXT, body: 'not ready\n' };
    default:
      return { status: 404, type: TEXT, body: 'not found\n' };
  }
}

async function isReady(readiness: MetricsServerOptions['readiness']): Promise<boolean> {
  try {
    return (await readiness()) === true;
  } catch {
    return false;
  }
}

function send(response: ServerResponse, reply: Reply, headOnly: boolean): void {
  response.writeHead(reply.status, {
    'content-type': reply.type,
    'content-length': Buffer.byteLength(reply.body),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  response.end(headOnly ? undefined : reply.body);
}
