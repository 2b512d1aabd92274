export { checkBrokers } from './broker.check.js';
export type { BrokerCheckOptions } from './broker.check.js';
export { createKafkaClient, KafkaClient } from './kafka.client.js';
export type { KafkaClientOptions, SaslCredentials } from './kafka.options.js';
export type { StreamLogEntry, StreamLogLevel, StreamLogSink } from './kafka.log.js';
export { kafkaClientOptions } from './client.settings.js';
export type { ClientLogger, KafkaConnectionSettings } from './client.settings.js';
export { BatchConsumer } from './batch.consumer.js';
export { consumerLifecycle } from './consumer.hooks.js';
export type { ConsumerLifecycle } from './consumer.hooks.js';
export type {
  BatchConsumerOptions,
  BatchHandler,
  PartitionBatch,
  TopicPartitionOffset,
} from './batch.consumer.js';
export { partitionLag } from './consumer.lag.js';
export type { PartitionLag, PartitionOffset, PartitionWatermarks } from './consumer.lag.js';
export { ACKS_ALL, StreamProducer } from './stream.producer.js';
export type { ProducedOffset, StreamProducerOptions } from './stream.producer.js';
export {
  PartitionProducer,
  TransactionalProducerPool,
  transactionalIdFor,
} from './transactional.pool.js';
export type {
  TransactionOffsets,
  TransactionScope,
  TransactionalPoolOptions,
} from './transactional.pool.js';
export { partitionName } from './partition.name.js';
export { headerValue } from './stream.records.js';
export type {
  ConsumedRecord,
  OutgoingMessage,
  RecordHeaders,
  TopicMessages,
} from './stream.records.js';
export { DEAD_LETTER_HEADERS, deadLetterMessage } from './dead.letter.js';
export type { DeadLetterCause } from './dead.letter.js';
export { registerCompressionCodecs } from './compression.codecs.js';
export type { Compression } from './compression.codecs.js';
export { StreamInstrumentation } from './stream.instrumentation.js';
export type {
  CallEvent,
  CallOperation,
  StreamEvents,
  TopicPartitions,
} from './stream.instrumentation.js';
export { isFencingError, isGroupRebalanceError, toStreamError } from './kafka.errors.js';
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
export { librdkafkaUnavailableReason, resolveProducerClient } from './librdkafka.module.js';
export type { ProducerClient, RecordProducer } from './record.producer.js';
