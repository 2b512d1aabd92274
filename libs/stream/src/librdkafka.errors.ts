import { StreamError, StreamErrorCode, type StreamOperation } from './stream.errors.js';

/** What node-rdkafka reports: a librdkafka error code (negative: raised locally) and flags. */
export interface LibrdkafkaErrorLike {
  message: string;
  /** -1 when node-rdkafka only had the text, as in delivery reports. */
  code: number;
  /** `broker` or `local` when the code had to be read from the text. */
  origin?: string;
  isRetriable?: boolean;
}

/** node-rdkafka's error class: built from a code, it carries librdkafka's text for it. */
export type LibrdkafkaErrorClass = new (code: number) => { message: string };

/**
 * librdkafka's error codes by name and by text. Delivery reports carry only the error's text
 * (`Broker: Message size too large`), so the code is recovered from librdkafka's own table of
 * texts (`rd_kafka_err2str`) rather than from patterns of ours.
 */
export class LibrdkafkaCodes {
  private readonly names = new Map<number, string>();
  private readonly byText = new Map<string, number>();

  constructor(codesByName: Record<string, number>, errorClass: LibrdkafkaErrorClass) {
    for (const [name, code] of Object.entries(codesByName)) {
      this.names.set(code, name);
      this.byText.set(new errorClass(code).message.toLowerCase(), code);
    }
  }

  /** The error's code, read from its text when node-rdkafka left it at -1. */
  codeOf(error: LibrdkafkaErrorLike): number {
    if (typeof error.code === 'number' && error.code !== -1) return error.code;
    const text = `${error.origin ?? ''}: ${error.message ?? ''}`.toLowerCase();
    return this.byText.get(text) ?? -1;
  }

  /** Kafka's name of a protocol error code, as `NOT_LEADER_FOR_PARTITION`. */
  kafkaType(code: number): string {
    return (this.names.get(code) ?? `CODE_${code}`).replace(/^ERR_/, '');
  }
}

/** Local librdkafka codes meaning "no broker could be reached in time" (see rdkafka.h). */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  -195, // _TRANSPORT
  -193, // _RESOLVE
  -192, // _MSG_TIMED_OUT
  -187, // _ALL_BROKERS_DOWN
  -185, // _TIMED_OUT
]);

const AUTHENTICATION_CODES: ReadonlySet<number> = new Set([
  -169, // _AUTHENTICATION
  58, // SASL_AUTHENTICATION_FAILED
]);

/** Kafka protocol errors a producer may retry (Kafka's RetriableException subclasses). */
const RETRIABLE_KAFKA_CODES: ReadonlySet<number> = new Set([5, 6, 7, 13, 14, 15, 16, 19, 20, 56]);

/** A {@link StreamError} for a librdkafka error, keeping it as `cause`. */
export function fromLibrdkafkaError(
  error: LibrdkafkaErrorLike,
  operation: StreamOperation,
  codes: LibrdkafkaCodes,
): StreamError {
  const what = `${operation} failed`;
  const code = codes.codeOf(error);
  if (AUTHENTICATION_CODES.has(code)) {
    return new StreamError(
      StreamErrorCode.Authentication,
      `${what}: SASL authentication refused; check the mechanism, username and password`,
      { cause: error, operation },
    );
  }
  if (UNAVAILABLE_CODES.has(code)) {
    return new StreamError(
      StreamErrorCode.BrokerUnavailable,
      `${what}: no Kafka broker acknowledged in time (${error.message}); check the broker list and that the brokers are up`,
      { cause: error, operation, retriable: true },
    );
  }
  if (code > 0) {
    const kafkaType = codes.kafkaType(code);
    return new StreamError(
      StreamErrorCode.Protocol,
      `${what}: broker answered ${kafkaType} (${code})`,
      {
        cause: error,
        operation,
        retriable: error.isRetriable === true || RETRIABLE_KAFKA_CODES.has(code),
        kafkaType,
        kafkaCode: code,
      },
    );
  }
  return new StreamError(StreamErrorCode.Failed, `${what}: ${error.message}`, {
    cause: error,
    operation,
    retriable: error.isRetriable === true,
  });
}
