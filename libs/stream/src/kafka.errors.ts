import kafkajs from 'kafkajs';
import {
  StreamError,
  StreamErrorCode,
  TransactionFencedError,
  type StreamOperation,
} from './stream.errors.js';

const {
  KafkaJSError,
  KafkaJSProtocolError,
  KafkaJSConnectionError,
  KafkaJSRequestTimeoutError,
  KafkaJSBrokerNotFound,
  KafkaJSMetadataNotLoaded,
  KafkaJSSASLAuthenticationError,
  KafkaJSNumberOfRetriesExceeded,
} = kafkajs;

/** Exported by kafkajs at run time but missing from its type declarations. */
const { KafkaJSNoBrokerAvailableError } = kafkajs as unknown as {
  KafkaJSNoBrokerAvailableError: typeof KafkaJSError;
};

/**
 * Kafka protocol error codes meaning "a newer producer owns this transactional id":
 * INVALID_PRODUCER_EPOCH (47) and TRANSACTION_COORDINATOR_FENCED (52), which kafkajs knows,
 * and PRODUCER_FENCED (90, KIP-588), which newer brokers send and kafkajs reports as an
 * unknown code, so it is matched by number.
 */
const FENCING_CODES: ReadonlySet<number> = new Set([47, 52, 90]);

/** kafkajs errors that all mean "no broker could be reached right now". */
function isUnavailable(error: unknown): boolean {
  return (
    error instanceof KafkaJSConnectionError ||
    error instanceof KafkaJSRequestTimeoutError ||
    error instanceof KafkaJSNoBrokerAvailableError ||
    error instanceof KafkaJSBrokerNotFound ||
    error instanceof KafkaJSMetadataNotLoaded
  );
}

/** The error and the errors it wraps, outermost first (kafkajs wraps retried errors in `cause`). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** The first Kafka protocol error in the chain, if any. */
function protocolErrorIn(chain: unknown[]): InstanceType<typeof KafkaJSProtocolError> | undefined {
  return chain.find(
    (error): error is InstanceType<typeof KafkaJSProtocolError> =>
      error instanceof KafkaJSProtocolError,
  );
}

/** True when `error` came from kafkajs (or wraps an error that did), rather than from caller code. */
export function isKafkaError(error: unknown): boolean {
  return causeChain(error).some((link) => link instanceof KafkaJSError);
}

/**
 * Protocol errors that mean "the group is changing its membership": the member must rejoin
 * before it can commit again, which kafkajs only does once the batch handler has returned.
 */
const REBALANCE_TYPES: ReadonlySet<string> = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/**
 * The Kafka protocol error in `error`'s chain saying the consumer group is rebalancing, if any
 * (see {@link isGroupRebalanceError}).
 */
export function rebalanceErrorIn(error: unknown): Error | undefined {
  const protocolError = protocolErrorIn(causeChain(error));
  return protocolError !== undefined && REBALANCE_TYPES.has(String(protocolError.type))
    ? protocolError
    : undefined;
}

/**
 * True when `error` (or an error it wraps) says the consumer group is rebalancing. Retrying the
 * commit cannot succeed then: the batch handler must give the batch up, uncommitted, so that
 * the member rejoins; the batch's records are fetched again by their next owner.
 */
export function isGroupRebalanceError(error: unknown): boolean {
  return rebalanceErrorIn(error) !== undefined;
}

/** True when `error` (or an error it wraps) says a transactional producer was fenced. */
export function isFencingError(error: unknown): boolean {
  const protocolError = protocolErrorIn(causeChain(error));
  return protocolError !== undefined && FENCING_CODES.has(Number(protocolError.code));
}

/**
 * Turns whatever kafkajs threw into a {@link StreamError}, keeping it as `cause`. Matches on
 * kafkajs error classes and protocol codes only, never on message text. Errors that are
 * already StreamErrors pass through unchanged.
 */
export function toStreamError(
  error: unknown,
  operation: StreamOperation,
  transactionalId?: string,
): StreamError {
  if (error instanceof StreamError) return error;
  const chain = causeChain(error);
  const protocolError = protocolErrorIn(chain);
  const protocolDetails =
    protocolError === undefined
      ? {}
      : { kafkaType: String(protocolError.type), kafkaCode: Number(protocolError.code) };
  if (transactionalId !== undefined && isFencingError(error)) {
    return new TransactionFencedError(transactionalId, {
      cause: error,
      operation,
      ...protocolDetails,
    });
  }
  const what = `${operation} failed`;
  if (chain.some((link) => link instanceof KafkaJSSASLAuthenticationError)) {
    return new StreamError(
      StreamErrorCode.Authentication,
      `${what}: SASL authentication refused; check the mechanism, username and password`,
      { cause: error, operation },
    );
  }
  if (protocolError !== undefined) {
    return new StreamError(
      StreamErrorCode.Protocol,
      `${what}: broker answered ${protocolDetails.kafkaType} (${protocolDetails.kafkaCode})`,
      { cause: error, operation, retriable: protocolError.retriable, ...protocolDetails },
    );
  }
  if (chain.some(isUnavailable)) {
    return new StreamError(
      StreamErrorCode.BrokerUnavailable,
      `${what}: no Kafka broker reachable; check the broker list and that the brokers are up`,
      { cause: error, operation, retriable: true },
    );
  }
  return new StreamError(StreamErrorCode.Failed, `${what}: ${messageOf(error)}`, {
    cause: error,
    operation,
    retriable: isKafkaRetriable(error),
  });
}

/**
 * kafkajs's own retriable flag. A "retries exceeded" error is final for kafkajs but says
 * nothing about the next attempt, so its cause decides.
 */
function isKafkaRetriable(error: unknown): boolean {
  if (error instanceof KafkaJSNumberOfRetriesExceeded) return isKafkaRetriable(error.cause);
  return error instanceof KafkaJSError && error.retriable;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
