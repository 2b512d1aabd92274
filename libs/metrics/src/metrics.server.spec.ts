import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsError } from './metrics.errors.js';
import { createMetrics } from './metrics.registry.js';
import { startMetricsServer, type MetricsServerHandle } from './metrics.server.js';
import { createSimulatorMetrics } from './simulator.metrics.js';

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

function call(
  port: number,
  path: string,
  options: { method?: string; agent?: Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Lets sockets closed by earlier requests finish closing. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Open TCP servers and sockets of this process, by libuv resource type. */
function tcpResources(): string[] {
  return process.getActiveResourcesInfo().filter((type) => type.startsWith('TCP'));
}

const metrics = createMetrics({ service: 'simulator', defaultMetrics: false });
createSimulatorMetrics(metrics).eventsSent(3);
let handle: MetricsServerHandle | undefined;

afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe('startMetricsServer', () => {
  it('serves the scrape with the Prometheus content type on a port picked for it', async () => {
    handle = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => true,
    });
    expect(handle.port).toBeGreaterThan(0);
    const answer = await call(handle.port, '/metrics');

    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.body).toContain('rnnflow_simulator_events_sent_total{service="simulator"} 3');
  });

  it('answers /healthz, 404 for other paths, 405 for writes, and HEAD without a body', async () => {
    handle = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => false,
    });

    expect(await call(handle.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await call(handle.port, '/nope')).status).toBe(404);
    expect((await call(handle.port, '/metrics', { method: 'POST' })).status).toBe(405);
    expect(await call(handle.port, '/metrics', { method: 'HEAD' })).toMatchObject({
      status: 200,
      body: '',
    });
  });

  it('follows readiness as it flips, async or throwing', async () => {
    let ready: boolean | Error = false;
    const readiness = async () => {
      if (ready instanceof Error) throw ready;
      return ready;
    };
    handle = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics, readiness });

    expect((await call(handle.port, '/readyz')).status).toBe(503);
    ready = true;
    expect((await call(handle.port, '/readyz')).status).toBe(200);
    ready = new Error('redis gone');
    expect((await call(handle.port, '/readyz')).status).toBe(503);
  });

  it('closes even with a keep-alive connection open and leaves no TCP handle', async () => {
    await settle();
    const before = tcpResources();
    const agent = new Agent({ keepAlive: true });
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => true,
    });
    expect((await call(server.port, '/healthz', { agent })).status).toBe(200);

    await server.close();
    agent.destroy();
    await settle();

    expect(tcpResources()).toEqual(before);
    await expect(call(server.port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails with a MetricsError when the port is taken', async () => {
    handle = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readiness: () => true,
    });
    const taken = { port: handle.port, host: '127.0.0.1', metrics, readiness: () => true };
    await expect(startMetricsServer(taken)).rejects.toThrow(MetricsError);
  });
});
