import { describe, expect, it } from 'vitest';
import { RnnflowError, isRetriable } from './rnnflow.errors.js';

class BrokerDownError extends RnnflowError {}

describe('RnnflowError', () => {
  it('keeps code, cause and the subclass name', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new BrokerDownError('BROKER_DOWN', 'broker 127.0.0.1:9092 refused', {
      retriable: true,
      cause,
    });
    expect(error.code).toBe('BROKER_DOWN');
    expect(error.name).toBe('BrokerDownError');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(RnnflowError);
    expect(isRetriable(error)).toBe(true);
  });

  it('is not retriable unless said so, and foreign errors never are', () => {
    expect(isRetriable(new RnnflowError('BAD_SETTING', 'x'))).toBe(false);
    expect(isRetriable(new Error('x'))).toBe(false);
  });
});
