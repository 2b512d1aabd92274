import type { RoundRecord } from '@rnnflow/trainer';
import { describe, expect, it } from 'vitest';
import { dashboardLines, plainLine, type LiveStatus } from './live.status.js';

const published: RoundRecord = {
  model: 'default',
  outcome: 'published',
  version: 2,
  championVersion: 1,
  losses: {
    champion: 2.8,
    challenger: 0.169,
    improvement: 0.94,
    margin: 0.02,
    training: 0.15,
    validation: 0.17,
  },
  seconds: 1.09,
  at: 0,
};

const status: LiveStatus = {
  elapsedSeconds: 42.7,
  durationSeconds: 60,
  eventsPerSecond: 301.4,
  predictionsPerSecond: 298.6,
  lag: 12,
  events: 12_000,
  predictions: 11_988,
  deadLettered: 0,
  serving: 2,
  versions: [1, 2],
  onlineError: new Map([
    [2, 0.2659],
    [1, 1.3449],
  ]),
  rounds: [
    {
      model: 'default',
      outcome: 'skipped',
      reason: 'no events',
      championVersion: 1,
      seconds: 0,
      at: 0,
    },
    published,
  ],
};

describe('live status', () => {
  it('shows rates, lag, versions, errors per version and the rounds on the dashboard', () => {
    expect(dashboardLines(status)).toEqual([
      'rnnflow dev  00:42 / 01:00  (Ctrl-C stops and writes the report)',
      'events     in  301/s  out  299/s  lag 12  total 12000 in, 11988 predicted, 0 dead-lettered',
      'model      serving v2  served v1 → v2',
      'online MAE v1 1.345  v2 0.266',
      'training   2 rounds: 1 published, 0 rejected; last published v2, held-out MSE 0.169 vs 2.80, 1.1 s',
    ]);
  });

  it('fits the same on one line without a terminal, and says when nothing happened yet', () => {
    const quiet = { ...status, durationSeconds: undefined, onlineError: new Map(), rounds: [] };
    expect(plainLine(quiet)).toBe(
      'dev 00:42 in  301/s out  299/s lag 12 serving v2 | no round yet',
    );
    expect(dashboardLines(quiet)[3]).toBe('online MAE waiting for the first scored forecasts');
  });
});
