import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchRunError } from './bench.errors.js';

/**
 * The benchmark scripts that live beside their libs, by `rnnflow bench` subcommand: the package
 * whose index locates the lib, and the script relative to that lib's root.
 */
export const SCRIPT_BENCHES = {
  cells: { library: '@rnnflow/cells', script: 'bench/step.bench.ts' },
  state: { library: '@rnnflow/state', script: 'bench/state.bench.ts' },
} as const;

export type ScriptBench = keyof typeof SCRIPT_BENCHES;

/** Absolute path of a lib's benchmark script (the lib's `src/index.ts` sits one level below its root). */
export function scriptPath(bench: ScriptBench): string {
  const { library, script } = SCRIPT_BENCHES[bench];
  const libraryRoot = dirname(dirname(fileURLToPath(import.meta.resolve(library))));
  return `${libraryRoot}/${script}`;
}

/**
 * Runs a lib's benchmark script with tsx in a child process sharing this terminal (its table
 * and JSON line go straight to stdout). SIGINT/SIGTERM to this process are passed on, so the
 * script can stop what it started. Rejects when it exits non-zero.
 */
export async function runScriptBench(bench: ScriptBench, args: readonly string[]): Promise<void> {
  const path = scriptPath(bench);
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    cwd: dirname(dirname(path)),
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (code !== 0) {
      throw new BenchRunError(
        `${bench} benchmark (${path}) ended with ${code === null ? `signal ${signal}` : `exit code ${code}`}`,
      );
    }
  } finally {
    process.off('SIGINT', forward).off('SIGTERM', forward);
  }
}
