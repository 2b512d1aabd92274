export { createRedisConnection } from './redis.connection.js';
export { redactUrl } from './redis.url.js';
export type { RedisConnectionOptions, RedisTimeouts } from './redis.connection.js';
export { RedisHealth } from './redis.health.js';
export type { RedisHealthOptions } from './redis.health.js';
export { redisConnectionOptions } from './connection.settings.js';
export type { RedisConnectionSettings } from './connection.settings.js';
export { StateStore } from './state.store.js';
export type { StateModel, StateStoreOptions } from './state.store.js';
export type {
  ReadRequest,
  WriteEntry,
  WriteMode,
  WriteRequest,
  WriteResult,
} from './state.requests.js';
export { checkStateRights } from './state.rights.js';
export type { StateRightsScope } from './state.rights.js';
export { StateLifecycle } from './state.lifecycle.js';
export type { ScannedState } from './state.lifecycle.js';
export { StateKeys } from './state.keys.js';
export {
  encodeState,
  decodeState,
  encodedLength,
  parseFingerprint,
  FORMAT_VERSION,
} from './state.codec.js';
export type { DecodeOptions, DecodeResult, EncodeOptions, Precision } from './state.codec.js';
export { StateInstrumentation } from './state.events.js';
export type { StateEvents } from './state.events.js';
export {
  ScriptErrorCode,
  StateEncodeError,
  StatePermissionError,
  StateScriptError,
  StateUnavailableError,
} from './state.errors.js';
export type {
  CorruptReason,
  DiscardOutcome,
  EntityKey,
  FencedScope,
  PartitionScope,
  PromoteOutcome,
  ReadResult,
  StateRecord,
  WriteOutcome,
} from './state.types.js';
