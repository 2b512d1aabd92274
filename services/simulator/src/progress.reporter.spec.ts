import type { Logger } from '@rnnflow/logging';
import { describe, expect, it } from 'vitest';
import {
  achievedRate,
  createProgressReporter,
  type SimulationProgress,
} from './progress.reporter.js';

const at = (elapsedMs: number, sent: number): SimulationProgress => ({
  sent,
  limit: Infinity,
  tombstones: 0,
  anomalies: 0,
  elapsedMs,
});

function recordingLogger() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    info: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
  } as unknown as Logger;
  return { logger, lines };
}

describe('progress reporter', () => {
  it('in log mode, writes a line at most every 10 s and a last one on stop', () => {
    const { logger, lines } = recordingLogger();
    const reporter = createProgressReporter('log', logger);
    for (const [ms, sent] of [
      [1_000, 100],
      [9_000, 900],
      [10_500, 1_050],
      [15_000, 1_500],
      [20_600, 2_060],
    ]) {
      reporter.update(at(ms, sent));
    }
    reporter.stop(at(21_000, 2_100));
    expect(lines.map((line) => line.message)).toEqual([
      'simulating',
      'simulating',
      'simulation finished',
    ]);
    expect(lines[0].fields).toMatchObject({ sent: 1_050, eventsPerSecond: 100, limit: undefined });
    expect(lines[2].fields).toMatchObject({ sent: 2_100 });
  });

  it('in none mode, stays silent', () => {
    const { logger, lines } = recordingLogger();
    const reporter = createProgressReporter('none', logger);
    reporter.update(at(60_000, 10));
    reporter.stop(at(60_000, 10));
    expect(lines).toEqual([]);
  });

  it('computes the achieved rate, 0 before any time has passed', () => {
    expect(achievedRate(at(2_000, 500))).toBe(250);
    expect(achievedRate(at(0, 0))).toBe(0);
  });
});
