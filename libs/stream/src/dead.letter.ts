import type { ConsumedRecord, OutgoingMessage } from './stream.records.js';

/** Names of the headers a dead letter carries; stable, other tools read them. */
export const DEAD_LETTER_HEADERS = {
  code: 'rnnflow-error-code',
  reason: 'rnnflow-error-reason',
  sourceTopic: 'rnnflow-source-topic',
  sourcePartition: 'rnnflow-source-partition',
  sourceOffset: 'rnnflow-source-offset',
  /** Set when the value was left out: the original value's size in bytes. */
  omittedValueBytes: 'rnnflow-omitted-value-bytes',
} as const;

/** Why and where from a record is dead-lettered. */
export interface DeadLetterCause {
  /** Stable machine-readable code, e.g. `not-json`. */
  code: string;
  /** Human explanation a producer can act on. */
  reason: string;
  sourceTopic: string;
  partition: number;
  /** Offset of the record in its source partition, decimal int64. */
  offset: string;
  /**
   * Values larger than this are left out (the dead letter says their size instead), so that a
   * record too large for the output side still leaves a dead letter. Default: no limit.
   */
  maxValueBytes?: number;
}

/**
 * The dead-letter form of a consumed record: its original key and value bytes, untouched so the
 * record can be replayed (a value over `cause.maxValueBytes` is left out, its size said in a
 * header), its original headers, and `rnnflow-*` headers saying why it was rejected and where
 * it came from (these override original headers of the same name).
 */
export function deadLetterMessage(record: ConsumedRecord, cause: DeadLetterCause): OutgoingMessage {
  const omitted =
    record.value !== null && record.value.byteLength > (cause.maxValueBytes ?? Infinity);
  return {
    key: record.key,
    value: omitted ? null : record.value,
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.code]: cause.code,
      [DEAD_LETTER_HEADERS.reason]: cause.reason,
      [DEAD_LETTER_HEADERS.sourceTopic]: cause.sourceTopic,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(cause.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: cause.offset,
      ...(omitted && { [DEAD_LETTER_HEADERS.omittedValueBytes]: String(record.value!.byteLength) }),
    },
  };
}
