import { describe, expect, it } from 'vitest';
import { StreamError, StreamErrorCode } from './stream.errors.js';
import { StreamInstrumentation, type CallEvent } from './stream.instrumentation.js';

describe('StreamInstrumentation', () => {
  it('times calls and reports failures with the mapped code', async () => {
    const instrumentation = new StreamInstrumentation();
    const events: CallEvent[] = [];
    instrumentation.on('call', (event) => events.push(event));
    const mapError = (error: unknown) =>
      new StreamError(StreamErrorCode.BrokerUnavailable, 'down', { cause: error });
    expect(await instrumentation.timeCall('commit', async () => 7, mapError)).toBe(7);
    await expect(
      instrumentation.timeCall(
        'produce',
        async () => {
          throw new Error('refused');
        },
        mapError,
      ),
    ).rejects.toMatchObject({ code: StreamErrorCode.BrokerUnavailable });
    expect(events.map(({ operation, ok, errorCode }) => ({ operation, ok, errorCode }))).toEqual([
      { operation: 'commit', ok: true, errorCode: undefined },
      { operation: 'produce', ok: false, errorCode: StreamErrorCode.BrokerUnavailable },
    ]);
    expect(events.every((event) => event.seconds >= 0)).toBe(true);
  });
});
