import { describe, expect, it } from 'vitest';
import { RoundTrigger } from './round.trigger.js';

describe('RoundTrigger', () => {
  it('is due once enough new events were buffered, and counts again after a round', () => {
    const trigger = new RoundTrigger({ everyEvents: 100, everySeconds: 0 }, 0);
    trigger.eventsBuffered(60);
    expect(trigger.due(1)).toBe(false);
    trigger.eventsBuffered(40);
    expect(trigger.due(1)).toBe(true);
    trigger.roundStarted(2);
    expect(trigger.pendingEvents).toBe(0);
    expect(trigger.due(3)).toBe(false);
  });

  it('is due a period after the previous round, but only with new events', () => {
    const trigger = new RoundTrigger({ everyEvents: 0, everySeconds: 10 }, 1000);
    expect(trigger.due(20_000)).toBe(false);
    trigger.eventsBuffered(1);
    expect(trigger.due(10_999)).toBe(false);
    expect(trigger.due(11_000)).toBe(true);
    trigger.roundStarted(11_000);
    trigger.eventsBuffered(5);
    expect(trigger.due(20_999)).toBe(false);
    expect(trigger.due(21_000)).toBe(true);
  });

  it('runs on whichever comes first when both are set', () => {
    const trigger = new RoundTrigger({ everyEvents: 10, everySeconds: 60 }, 0);
    trigger.eventsBuffered(3);
    expect(trigger.due(59_000)).toBe(false);
    expect(trigger.due(60_000)).toBe(true);
    trigger.roundStarted(60_000);
    trigger.eventsBuffered(10);
    expect(trigger.due(60_001)).toBe(true);
  });

  it('refuses a trigger that would never fire', () => {
    expect(() => new RoundTrigger({ everyEvents: 0, everySeconds: 0 }, 0)).toThrow(RangeError);
  });
});
