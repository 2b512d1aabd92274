import { describe, expect, it } from 'vitest';
import { RatePacer } from './rate.pacer.js';

describe('RatePacer', () => {
  it('makes rate × elapsed records due, minus those sent', () => {
    const pacer = new RatePacer(100, Infinity, 1000);
    expect(pacer.due(0, 0)).toBe(0);
    expect(pacer.due(250, 0)).toBe(25);
    expect(pacer.due(250, 20)).toBe(5);
    expect(pacer.due(250, 30)).toBe(0);
  });

  it('caps a catch-up at maxBatch and the run at limit', () => {
    const pacer = new RatePacer(1000, 1500, 200);
    expect(pacer.due(10_000, 0)).toBe(200);
    expect(pacer.due(10_000, 1400)).toBe(100);
    expect(pacer.done(1499)).toBe(false);
    expect(pacer.done(1500)).toBe(true);
  });

  it('says how long until the next record is due', () => {
    const pacer = new RatePacer(10, Infinity, 10);
    expect(pacer.msUntilNext(0, 0)).toBe(100);
    expect(pacer.msUntilNext(150, 1)).toBe(50);
    expect(pacer.msUntilNext(500, 1)).toBe(0);
  });
});
