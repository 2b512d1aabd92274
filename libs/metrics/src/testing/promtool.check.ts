import { spawnSync } from 'node:child_process';

/** Result of `promtool check metrics` on a scrape. */
export type PromtoolResult =
  { available: false } | { available: true; passed: boolean; output: string };

/** Feeds `text` to `promtool check metrics` on stdin; reports whether promtool is installed at all. */
export function promtoolCheckMetrics(text: string): PromtoolResult {
  const run = spawnSync('promtool', ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    return { available: false };
  if (run.error) throw run.error;
  return { available: true, passed: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
