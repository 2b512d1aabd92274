export { createRedisConnection } from './redis.connection.js';
export { redactUrl } from './redis.url.js';
export type { RedisConnectionOptions } from './redis.connection.js';
export { RedisHealth } from './redis.health.js';
export { redisConnectionOptions } from './connection.settings.js';
export { StateStore } from './state.store.js';
export type { StateStoreOptions } from './state.store.js';
export type { WriteEntry, WriteRequest, WriteResult } from './state.requests.js';
export { checkStateRights } from './state.rights.js';
export { encodeState, decodeState, encodedLength, parseFingerprint } from './state.codec.js';
export type { Precision } from './state.codec.js';
export { StateInstrumentation } from './state.events.js';
export type { StateEvents } from './state.events.js';
export { StatePermissionError, StateUnavailableError } from './state.errors.js';
export type {
  EntityKey,
  FencedScope,
  PartitionScope,
  ReadResult,
  StateRecord,
} from './state.types.js';
