export { registerCompressionCodecs } from './compression.codecs.js';
export type { Compression } from './compression.codecs.js';
export { isFencingError, toStreamError } from './kafka.errors.js';
export { backoffDelayMs, hasRetriableFlag, retry } from './retry.policy.js';
export type { RetryOptions } from './retry.policy.js';
export {
  CompressionUnsupportedError,
  StreamError,
  StreamErrorCode,
  StreamOptionError,
  TransactionFencedError,
} from './stream.errors.js';
export type { StreamErrorDetails, StreamOperation } from './stream.errors.js';
