import { RnnflowError } from '@rnnflow/errors';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retry } from './retry.policy.js';
import { StreamOptionError } from './stream.errors.js';

const transient = () => new RnnflowError('BROKER_DOWN', 'down', { retriable: true });
const noSleep = async () => {};

describe('retry', () => {
  it('retries retriable failures until the call succeeds', async () => {
    let calls = 0;
    const retried: number[] = [];
    const result = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw transient();
        return 'ok';
      },
      { sleep: noSleep, onRetry: ({ attempt }) => retried.push(attempt) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('gives up after `retries` further attempts and rethrows the last error', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw transient();
      },
      { retries: 2, sleep: noSleep },
    );
    await expect(failing).rejects.toMatchObject({ code: 'BROKER_DOWN' });
    expect(calls).toBe(3);
  });

  it('does not retry an error that is not retriable', async () => {
    let calls = 0;
    const bad = new RnnflowError('BAD', 'bad input');
    await expect(
      retry(
        async () => {
          calls++;
          throw bad;
        },
        { sleep: noSleep },
      ),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
  });

  it('honours a kafkajs-style retriable flag on foreign errors', async () => {
    let calls = 0;
    const flagged = Object.assign(new Error('leader moved'), { retriable: true });
    await retry(
      async () => {
        if (++calls === 1) throw flagged;
      },
      { sleep: noSleep },
    );
    expect(calls).toBe(2);
  });

  it('waits the jittered exponential delay between attempts', async () => {
    const waits: number[] = [];
    await expect(
      retry(
        async () => {
          throw transient();
        },
        {
          retries: 5,
          initialMs: 100,
          maxMs: 1000,
          random: () => 0.5,
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      ),
    ).rejects.toThrow();
    expect(waits).toEqual([50, 100, 200, 400, 500]);
  });

  it('rejects nonsensical options', async () => {
    await expect(retry(async () => 1, { retries: -1 })).rejects.toBeInstanceOf(StreamOptionError);
    await expect(retry(async () => 1, { initialMs: 10, maxMs: 5 })).rejects.toBeInstanceOf(
      StreamOptionError,
    );
  });
});

describe('backoffDelayMs', () => {
  it('stays within [0, min(maxMs, initialMs·2^(n−1)))', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(2000, 50 * 2 ** (attempt - 1));
      expect(backoffDelayMs(attempt, 50, 2000, () => 0)).toBe(0);
      expect(backoffDelayMs(attempt, 50, 2000, () => 0.999_999)).toBeLessThan(ceiling);
      expect(backoffDelayMs(attempt, 50, 2000, () => 0.999_999)).toBeGreaterThanOrEqual(
        ceiling - 1,
      );
    }
  });
});
