import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  isFencingError,
  isGroupRebalanceError,
  rebalanceErrorIn,
  toStreamError,
} from './kafka.errors.js';
import { StreamError, StreamErrorCode, TransactionFencedError } from './stream.errors.js';

const {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
  KafkaJSNonRetriableError,
} = kafkajs;

const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code, retriable, message: 'm' } as unknown as Error);

describe('toStreamError', () => {
  it('maps connection failures to a retriable BrokerUnavailable error keeping the cause', () => {
    const cause = new KafkaJSConnectionError('Connection error: ECONNREFUSED', {
      broker: '127.0.0.1:1',
    });
    const error = toStreamError(cause, 'produce');
    expect(error).toBeInstanceOf(StreamError);
    expect(error.code).toBe(StreamErrorCode.BrokerUnavailable);
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.operation).toBe('produce');
  });

  it('looks through kafkajs "retries exceeded" wrappers for the protocol error', () => {
    const inner = protocolError('NOT_LEADER_FOR_PARTITION', 6, true);
    const outer = new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 5, retryTime: 1 });
    const error = toStreamError(outer, 'commit');
    expect(error.code).toBe(StreamErrorCode.Protocol);
    expect(error.kafkaType).toBe('NOT_LEADER_FOR_PARTITION');
    expect(error.kafkaCode).toBe(6);
    expect(error.retriable).toBe(true);
  });

  it('reports fencing of a transactional producer as TransactionFencedError', () => {
    for (const [type, code] of [
      ['INVALID_PRODUCER_EPOCH', 47],
      ['TRANSACTION_COORDINATOR_FENCED', 52],
      ['KAFKAJS_UNKNOWN_ERROR_CODE', 90],
    ] as const) {
      const cause = protocolError(type, code, false);
      expect(isFencingError(cause)).toBe(true);
      const error = toStreamError(cause, 'transaction', 'g-events-3');
      expect(error).toBeInstanceOf(TransactionFencedError);
      expect(error.code).toBe(StreamErrorCode.Fenced);
      expect(error.retriable).toBe(false);
      expect((error as TransactionFencedError).transactionalId).toBe('g-events-3');
    }
  });

  it('keeps other protocol errors as Protocol errors with kafkajs’s retriable flag', () => {
    const error = toStreamError(protocolError('INVALID_TXN_STATE', 48, false), 'transaction', 'x');
    expect(error).not.toBeInstanceOf(TransactionFencedError);
    expect(error.code).toBe(StreamErrorCode.Protocol);
    expect(error.retriable).toBe(false);
  });

  it('maps SASL failures to a non-retriable Authentication error', () => {
    const error = toStreamError(
      new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)('bad password'),
      'connect',
    );
    expect(error.code).toBe(StreamErrorCode.Authentication);
    expect(error.retriable).toBe(false);
  });

  it('maps anything else to Failed, retriable only when kafkajs said so', () => {
    expect(toStreamError(new Error('boom'), 'produce')).toMatchObject({
      code: StreamErrorCode.Failed,
      retriable: false,
    });
    expect(toStreamError(new KafkaJSNonRetriableError('no'), 'produce').retriable).toBe(false);
  });

  it('passes StreamErrors through unchanged', () => {
    const original = new StreamError(StreamErrorCode.Failed, 'x');
    expect(toStreamError(original, 'produce')).toBe(original);
  });
});

describe('isGroupRebalanceError', () => {
  it('recognises membership changes through StreamError and retry wrappers', () => {
    for (const [type, code] of [
      ['REBALANCE_IN_PROGRESS', 27],
      ['ILLEGAL_GENERATION', 22],
      ['UNKNOWN_MEMBER_ID', 25],
    ] as const) {
      const inner = protocolError(type, code, false);
      const wrapped = toStreamError(
        new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 1, retryTime: 1 }),
        'commit',
      );
      expect(isGroupRebalanceError(wrapped)).toBe(true);
      // kafkajs rejoins only when handed its own error back.
      expect(rebalanceErrorIn(wrapped)).toBe(inner);
    }
  });

  it('leaves other failures to the retry loop', () => {
    expect(isGroupRebalanceError(protocolError('NOT_LEADER_FOR_PARTITION', 6, true))).toBe(false);
    expect(isGroupRebalanceError(new Error('redis down'))).toBe(false);
  });
});
