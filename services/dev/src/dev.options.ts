/** What `rnnflow dev` is asked to do. */
export interface DevOptions {
  /** Stop after this many seconds of traffic; undefined: run until stopped. */
  readonly durationSeconds?: number;
  /** Distinct simulated keys. */
  readonly keys: number;
  /** Simulated events per second over all keys. */
  readonly rate: number;
  /** Folder the report is written to (created). */
  readonly outDir: string;
  /** Seed of the simulated signals, the initial weights and the trainer. */
  readonly seed: number;
}

/**
 * Defaults sized for two busy cores: 300 events/s over 100 keys is 3 events per key per second,
 * so a key's seasonal cycle (24–240 events: 8–80 s) shows in a minute's plot and the first
 * training round, 15 s in, has a few windows per key.
 */
export const DEV_DEFAULTS = { keys: 100, rate: 300, seed: 1 } as const;

/** `reports/dev-<UTC timestamp>`, relative to the working directory. */
export function defaultReportDir(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `reports/dev-${stamp}`;
}
