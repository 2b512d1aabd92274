import { RnnflowError } from '@rnnflow/errors';

/** What the stream lib was doing when an error happened; used in messages and instrumentation. */
export type StreamOperation =
  | 'connect'
  | 'produce'
  | 'consume'
  | 'commit'
  | 'fetch-offsets'
  | 'metadata'
  | 'transaction'
  | 'disconnect';

/**
 * Stable codes of {@link StreamError}. Callers branch on these (or on the subclass), never on
 * the message.
 */
export const StreamErrorCode = {
  /** No broker answered (refused, closed, timed out, unknown leader). Retriable. */
  BrokerUnavailable: 'STREAM_BROKER_UNAVAILABLE',
  /** The broker answered with a Kafka protocol error; see `kafkaType`/`kafkaCode`. */
  Protocol: 'STREAM_PROTOCOL',
  /** SASL authentication was refused: credentials or mechanism are wrong. */
  Authentication: 'STREAM_AUTHENTICATION',
  /** Another producer with the same transactional id took over; this one must stop. */
  Fenced: 'STREAM_FENCED',
  /** A codec that rnnflow can read but not write (zstd) was asked to compress. */
  CompressionUnsupported: 'STREAM_COMPRESSION_UNSUPPORTED',
  /** An option passed to a stream factory is invalid. */
  BadOption: 'STREAM_BAD_OPTION',
  /** Any other client failure. */
  Failed: 'STREAM_FAILED',
} as const;

export type StreamErrorCode = (typeof StreamErrorCode)[keyof typeof StreamErrorCode];

/** Details a {@link StreamError} may carry about the Kafka call that failed. */
export interface StreamErrorDetails {
  retriable?: boolean;
  cause?: unknown;
  operation?: StreamOperation;
  /** Kafka protocol error name, e.g. `NOT_LEADER_FOR_PARTITION` (protocol errors only). */
  kafkaType?: string;
  /** Kafka protocol error number, e.g. `6` (protocol errors only). */
  kafkaCode?: number;
}

/** Every error the stream lib raises on purpose. */
export class StreamError extends RnnflowError {
  declare readonly code: StreamErrorCode;
  readonly operation: StreamOperation | undefined;
  readonly kafkaType: string | undefined;
  readonly kafkaCode: number | undefined;

  constructor(code: StreamErrorCode, message: string, details: StreamErrorDetails = {}) {
    super(code, message, { retriable: details.retriable ?? false, cause: details.cause });
    this.operation = details.operation;
    this.kafkaType = details.kafkaType;
    this.kafkaCode = details.kafkaCode;
  }
}

/**
 * A transactional producer was fenced: a newer producer with the same transactional id (the
 * new owner of the input partition after a rebalance) bumped the producer epoch. The fenced
 * producer must be closed and its batch dropped, never retried: the new owner reprocesses
 * from the last committed offset.
 */
export class TransactionFencedError extends StreamError {
  readonly transactionalId: string;

  constructor(transactionalId: string, details: StreamErrorDetails = {}) {
    super(
      StreamErrorCode.Fenced,
      `transactional producer "${transactionalId}" was fenced by a newer producer with the same id; ` +
        'close it and let the partition’s new owner continue',
      { ...details, retriable: false },
    );
    this.transactionalId = transactionalId;
  }
}

/** Raised when rnnflow is asked to write a codec it only reads (zstd). */
export class CompressionUnsupportedError extends StreamError {
  constructor(codec: string) {
    super(
      StreamErrorCode.CompressionUnsupported,
      `rnnflow only reads ${codec}-compressed records; produce with gzip, snappy or lz4 instead`,
      { operation: 'produce' },
    );
  }
}

/** Raised by stream factories for an invalid option; the message names the field. */
export class StreamOptionError extends StreamError {
  constructor(message: string) {
    super(StreamErrorCode.BadOption, message);
  }
}
