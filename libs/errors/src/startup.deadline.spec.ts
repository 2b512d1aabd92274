import { describe, expect, it } from 'vitest';
import { withinDeadline } from './startup.deadline.js';
import { StartupTimeoutError } from './startup.errors.js';

describe('withinDeadline', () => {
  it('passes the result through when the work finishes first', async () => {
    await expect(withinDeadline(Promise.resolve(7), 1000, () => 'late')).resolves.toBe(7);
  });

  it('passes the work failure through unchanged', async () => {
    const failure = new Error('refused');
    await expect(withinDeadline(Promise.reject(failure), 1000, () => 'late')).rejects.toBe(failure);
  });

  it('rejects with a coded timeout error and the message once the deadline passes', async () => {
    const never = new Promise<never>(() => {});
    const started = performance.now();
    const error = await withinDeadline(never, 50, () => 'Kafka did not answer').catch((e) => e);
    expect(error).toBeInstanceOf(StartupTimeoutError);
    expect(error).toMatchObject({ code: 'STARTUP_TIMEOUT', message: 'Kafka did not answer' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
