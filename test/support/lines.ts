import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Collects a child's stdout lines and resolves once `count` have arrived; rejects if the child
 * exits first or `timeoutMs` passes, with its stderr in the message.
 */
export function readLines(
  child: ChildProcess,
  count: number,
  timeoutMs: number,
): Promise<string[]> {
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${count} lines within ${timeoutMs} ms; stderr:\n${stderr}`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (code ${code}) after ${lines.length} lines; stderr:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.length === count) {
        clearTimeout(timer);
        resolve(lines);
      }
    });
  });
}
