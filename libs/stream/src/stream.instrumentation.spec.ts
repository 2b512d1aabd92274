import { describe, expect, it } from 'vitest';
import { StreamError, StreamErrorCode } from './stream.errors.js';
import { StreamInstrumentation, type CallEvent } from './stream.instrumentation.js';

describe('StreamInstrumentation', () => {
  it('delivers events until the listener unsubscribes', () => {
    const instrumentation = new StreamInstrumentation();
    const seen: string[] = [];
    const off = instrumentation.on('call', (event) => seen.push(event.operation));
    instrumentation.emit('call', { operation: 'produce', seconds: 0.1, ok: true });
    off();
    off();
    instrumentation.emit('call', { operation: 'commit', seconds: 0.1, ok: true });
    expect(seen).toEqual(['produce']);
  });

  it('keeps delivering when a listener throws', () => {
    const instrumentation = new StreamInstrumentation();
    const seen: number[] = [];
    instrumentation.on('batch', () => {
      throw new Error('broken metrics');
    });
    instrumentation.on('batch', (event) => seen.push(event.records));
    instrumentation.emit('batch', {
      groupId: 'g',
      topic: 't',
      partition: 0,
      records: 3,
      seconds: 0,
      ok: true,
    });
    expect(seen).toEqual([3]);
  });

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
