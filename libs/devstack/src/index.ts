export { DevstackError } from './devstack.error.js';
export { spawnTethered } from './child-process.js';
export type { TetheredProcess } from './child-process.js';
export { findFreePort } from './free-port.js';
export { startRedis, waitForPing } from './redis-server.js';
export type { RedisHandle, RedisOptions } from './redis-server.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterHandle, RedisClusterOptions } from './redis-cluster.js';
export { startKafkaMock } from './kafka-mock.js';
export type { KafkaMockHandle, KafkaMockOptions, ProcessExit } from './kafka-mock.js';
export { ensureKafkaMockBinary, KAFKA_MOCK_SOURCE } from './kafka-mock.binary.js';
export type { KafkaMockBuildOptions } from './kafka-mock.binary.js';
export {
  KafkaMockBuildError,
  KafkaMockCommandError,
  KafkaMockStartError,
} from './kafka-mock.errors.js';
export {
  DEFAULT_DEV_TOPICS,
  KafkaTopicSpecError,
  parseTopicSpec,
  validateTopics,
} from './kafka-topics.js';
export type { KafkaTopicSpec } from './kafka-topics.js';
export { startDevStack, DEV_STACK_KINDS } from './dev-stack.js';
export type { DevStack, DevStackKind, DevStackOptions } from './dev-stack.js';
export {
  checkContainerRuntime,
  KAFKA_IMAGE,
  REDIS_IMAGE,
  startKafkaContainer,
  startRedisContainer,
} from './containers.js';
export type { ContainerRuntimeStatus, KafkaContainerHandle } from './containers.js';
export { ContainerRuntimeUnavailableError } from './containers.errors.js';
