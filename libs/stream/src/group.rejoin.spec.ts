import { describe, expect, it } from 'vitest';
import { GROUP_REJOIN_LIMIT, GroupRejoins } from './group.rejoin.js';
import { StreamError, StreamErrorCode } from './stream.errors.js';

const refused = (kafkaType: string) =>
  new StreamError(StreamErrorCode.Protocol, `broker answered ${kafkaType}`, {
    operation: 'consume',
    kafkaType,
    kafkaCode: 42,
  });

describe('GroupRejoins', () => {
  it('rejoins after a protocol error while joining, at most the limit in a row', () => {
    const rejoins = new GroupRejoins(() => 0.5);
    rejoins.joinStarted();
    const delays = Array.from({ length: GROUP_REJOIN_LIMIT + 1 }, () =>
      rejoins.nextDelayMs(refused('INVALID_REQUEST')),
    );
    expect(delays.slice(0, GROUP_REJOIN_LIMIT).every((delay) => delay !== undefined)).toBe(true);
    expect(delays[GROUP_REJOIN_LIMIT]).toBeUndefined();
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
  });

  it('counts afresh after a successful join', () => {
    const rejoins = new GroupRejoins();
    rejoins.joinStarted();
    for (let index = 0; index < GROUP_REJOIN_LIMIT; index += 1) {
      rejoins.nextDelayMs(refused('INVALID_REQUEST'));
    }
    rejoins.joined();
    rejoins.joinStarted();
    expect(rejoins.nextDelayMs(refused('INVALID_REQUEST'))).toBeDefined();
  });

  it('reports a crash outside a join, an authorization error, or a non-protocol error', () => {
    const rejoins = new GroupRejoins();
    expect(rejoins.nextDelayMs(refused('INVALID_REQUEST'))).toBeUndefined();
    rejoins.joinStarted();
    expect(rejoins.nextDelayMs(refused('GROUP_AUTHORIZATION_FAILED'))).toBeUndefined();
    const unavailable = new StreamError(StreamErrorCode.BrokerUnavailable, 'no broker');
    expect(rejoins.nextDelayMs(unavailable)).toBeUndefined();
  });

  it('reports a crash once joined', () => {
    const rejoins = new GroupRejoins();
    rejoins.joinStarted();
    rejoins.joined();
    expect(rejoins.nextDelayMs(refused('INVALID_REQUEST'))).toBeUndefined();
  });
});
