import { describe, expect, it } from 'vitest';
import { verdict } from './live.phase.js';
import type { LiveWindow } from './live.session.js';

const kept: LiveWindow = {
  targetRate: 1000,
  achievedRate: 998,
  events: 10_000,
  samples: 10_000,
  p50Ms: 8,
  p99Ms: 40,
  p999Ms: 70,
  maxMs: 90,
  lagGrowthPerSecond: 3,
  maxLag: 60,
  undelivered: 0,
  stoppedEarly: false,
  benchStallMs: 3,
  committed: null,
};

describe('verdict', () => {
  it('sustains a window that kept up within the p99 bound', () => {
    expect(verdict('at-least-once', kept, '25 %')).toMatchObject({ load: '25 %', sustained: true });
  });

  it.each([
    ['a p99 above 50 ms', { p99Ms: 51 }],
    ['no samples', { samples: 0, p50Ms: null, p99Ms: null, p999Ms: null, maxMs: null }],
    ['events that never arrived', { undelivered: 1 }],
    ['a window cut short', { stoppedEarly: true }],
    ['a lag growing by over 5 % of the rate', { lagGrowthPerSecond: 51 }],
    ['a producer below 95 % of the rate', { achievedRate: 940 }],
  ])('does not sustain %s', (_, change) => {
    expect(verdict('floor', { ...kept, ...change }, '500 ev/s').sustained).toBe(false);
  });

  it('bounds exactly-once by its commit interval + 50 ms', () => {
    expect(verdict('exactly-once', { ...kept, p99Ms: 140 }, '').sustained).toBe(true);
    expect(verdict('exactly-once', { ...kept, p99Ms: 160 }, '').sustained).toBe(false);
    expect(verdict('at-least-once', { ...kept, p99Ms: 140 }, '').sustained).toBe(false);
  });

  it('also needs 99 % of exactly-once predictions committed within that bound', () => {
    const committed = (shareWithin: number) => ({
      committed: { samples: 10_000, p99Ms: 120, shareWithin },
    });
    expect(verdict('exactly-once', { ...kept, ...committed(0.995) }, '').sustained).toBe(true);
    expect(verdict('exactly-once', { ...kept, ...committed(0.98) }, '').sustained).toBe(false);
  });
});
