import { describe, expect, it } from 'vitest';
import { fromLibrdkafkaError, LibrdkafkaCodes } from './librdkafka.errors.js';
import { StreamErrorCode } from './stream.errors.js';

/** A stand-in for node-rdkafka's table: names by code, and librdkafka's text for each. */
const TEXTS: Record<number, string> = {
  [-192]: 'Local: Message timed out',
  [-169]: 'Local: Authentication failure',
  6: 'Broker: Not leader for partition',
  10: 'Broker: Message size too large',
};
const codes = new LibrdkafkaCodes(
  {
    ERR__MSG_TIMED_OUT: -192,
    ERR__AUTHENTICATION: -169,
    ERR_NOT_LEADER_FOR_PARTITION: 6,
    ERR_MSG_SIZE_TOO_LARGE: 10,
  },
  class {
    readonly message: string;
    constructor(code: number) {
      this.message = TEXTS[code];
    }
  },
);

describe('fromLibrdkafkaError', () => {
  it('reads the code of a delivery report, which carries only text', () => {
    const error = fromLibrdkafkaError(
      { message: 'message size too large', origin: 'broker', code: -1 },
      'produce',
      codes,
    );
    expect(error).toMatchObject({
      code: StreamErrorCode.Protocol,
      kafkaType: 'MSG_SIZE_TOO_LARGE',
      kafkaCode: 10,
      retriable: false,
    });
  });

  it('marks leader changes retriable and timeouts as an unavailable broker', () => {
    expect(fromLibrdkafkaError({ message: 'x', code: 6 }, 'produce', codes)).toMatchObject({
      code: StreamErrorCode.Protocol,
      retriable: true,
    });
    expect(
      fromLibrdkafkaError(
        { message: 'message timed out', origin: 'local', code: -1 },
        'produce',
        codes,
      ),
    ).toMatchObject({ code: StreamErrorCode.BrokerUnavailable, retriable: true });
  });

  it('names authentication failures, and keeps unknown errors as failures with their text', () => {
    expect(fromLibrdkafkaError({ message: 'x', code: -169 }, 'connect', codes).code).toBe(
      StreamErrorCode.Authentication,
    );
    const unknown = fromLibrdkafkaError({ message: 'strange', code: -1 }, 'produce', codes);
    expect(unknown).toMatchObject({ code: StreamErrorCode.Failed, retriable: false });
    expect(unknown.message).toContain('strange');
  });
});
