import { describe, expect, it } from 'vitest';
import { transactionDeadline } from './exactly-once.delivery.js';

describe('transactionDeadline', () => {
  const takenAtMs = 1_000_000;

  it('closes once the oldest event is one interval old', () => {
    expect(transactionDeadline({ takenAtMs, oldestEventMs: takenAtMs - 12 }, 100)).toBe(
      takenAtMs + 88,
    );
  });

  it('leaves a backlog batch half an interval to gather others', () => {
    expect(transactionDeadline({ takenAtMs, oldestEventMs: takenAtMs - 60_000 }, 100)).toBe(
      takenAtMs + 50,
    );
  });

  it('waits no longer than an interval after the batch was taken, whatever the clocks say', () => {
    expect(transactionDeadline({ takenAtMs, oldestEventMs: takenAtMs + 5_000 }, 100)).toBe(
      takenAtMs + 100,
    );
  });
});
