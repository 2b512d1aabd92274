import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../services/cli/bin/rnnflow.js', import.meta.url));

/** Runs `rnnflow <args>` to completion; rejects with its stderr when it exits non-zero. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { stdout, stderr, code };
}

/** A long-running `rnnflow` service in a child process, with its log kept for failure messages. */
export class ServiceProcess {
  readonly child: ChildProcess;
  log = '';
  private readonly exited: Promise<unknown>;

  constructor(
    args: readonly string[],
    env: Record<string, string>,
    /** Port of the service's /metrics, when the caller chose one. */
    readonly metricsPort?: number,
  ) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.log += chunk));
    this.child.stderr!.on('data', (chunk) => (this.log += chunk));
    this.exited = once(this.child, 'exit');
  }

  /** Waits until the log has a line with this `msg`, or fails with the log so far. */
  async waitForLog(message: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.log.includes(`"msg":"${message}"`)) {
      if (this.child.exitCode !== null)
        throw new Error(
          `service exited (${this.child.exitCode}) before "${message}":\n${this.log}`,
        );
      if (Date.now() > deadline)
        throw new Error(`no "${message}" within ${timeoutMs} ms:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGTERM and wait for the exit; resolves with the exit code, or the signal that ended it. */
  async stop(): Promise<number | string | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    return this.child.exitCode ?? this.child.signalCode;
  }

  /** SIGKILL: a crash, no shutdown code runs. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** The value of one sample of a service's /metrics, or undefined while it has none. */
export async function scrapeMetric(
  port: number,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
