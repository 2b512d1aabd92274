import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Runs the command as a child of a small bash "tether". The tether holds a pipe from this
 * process on its stdin: when this process exits — even by SIGKILL, when no handler of ours
 * runs — the pipe closes and the tether stops the command. Without it a redis-server started
 * by a crashed test run would outlive it.
 */
const TETHER = `
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
"$@" &
child=$!
{ while read -r _; do :; done; kill -TERM "$child" 2>/dev/null; } <&0 &
watcher=$!
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
kill "$watcher" 2>/dev/null
exit "\${status:-1}"
`;

export interface TetheredProcess {
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the command has exited. */
  readonly exited: Promise<number | null>;
  /** Stops the command (SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnTethered(command: string, args: readonly string[]): TetheredProcess {
  const child = spawn('bash', ['-c', TETHER, 'tether', command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // Never read by anyone but a test's failure message; drained so the child cannot block on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    process: child,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
