import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@rnnflow/devstack';

const CLI = fileURLToPath(new URL('../../services/cli/bin/rnnflow.js', import.meta.url));
/** The bound the fail-fast issue sets: every start that cannot succeed ends within it. */
export const EXIT_WITHIN_MS = 15_000;

/** How a `rnnflow` run that should fail ended. */
export interface FailedStart {
  code: number | null;
  stderr: string;
  elapsedMs: number;
  /** `GET /healthz` and `/readyz` statuses seen while it ran (empty when it never listened). */
  probes: { healthz: number; readyz: number }[];
}

/**
 * Runs `rnnflow <args>` with `env`, polling its /healthz and /readyz on `metricsPort` while it
 * runs; kills it (and the test then fails on the exit code) if it is still up after twice the
 * bound.
 */
export async function runFailingStart(
  args: readonly string[],
  env: Record<string, string>,
  metricsPort?: number,
): Promise<FailedStart> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const killer = setTimeout(() => child.kill('SIGKILL'), 2 * EXIT_WITHIN_MS);
  const probes: FailedStart['probes'] = [];
  let running = true;
  const polling = (async () => {
    while (running && metricsPort !== undefined) {
      const [healthz, readyz] = await Promise.all([
        status(metricsPort, '/healthz'),
        status(metricsPort, '/readyz'),
      ]);
      if (healthz !== 0) probes.push({ healthz, readyz });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const [code] = await exited;
  const elapsedMs = performance.now() - started;
  running = false;
  clearTimeout(killer);
  await polling;
  return { code, stderr, elapsedMs, probes };
}

async function status(port: number, path: string): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
  } catch {
    return 0;
  }
}

/** A TCP server that accepts connections and never answers: a frozen Redis, as SIGSTOP leaves it. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
