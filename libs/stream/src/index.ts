export { checkBrokers } from './broker.check.js';
export { createKafkaClient, KafkaClient } from './kafka.client.js';
export type { KafkaClientOptions } from './kafka.options.js';
export { kafkaClientOptions } from './client.settings.js';
export { BatchConsumer } from './batch.consumer.js';
export { consumerLifecycle } from './consumer.hooks.js';
export type {
  BatchConsumerOptions,
  PartitionBatch,
  TopicPartitionOffset,
} from './batch.consumer.js';
export { StreamProducer } from './stream.producer.js';
export { TransactionalProducerPool } from './transactional.pool.js';
export type { TransactionScope } from './transactional.pool.js';
export { partitionName } from './partition.name.js';
export { headerValue } from './stream.records.js';
export type { ConsumedRecord, OutgoingMessage, TopicMessages } from './stream.records.js';
export { deadLetterMessage } from './dead.letter.js';
export { registerCompressionCodecs } from './compression.codecs.js';
export type { CallEvent, TopicPartitions } from './stream.instrumentation.js';
export { isGroupRebalanceError } from './kafka.errors.js';
export { backoffDelayMs, retry } from './retry.policy.js';
export { StreamError, StreamErrorCode, TransactionFencedError } from './stream.errors.js';
export { librdkafkaUnavailableReason, resolveProducerClient } from './librdkafka.module.js';
export type { ProducerClient, RecordProducer } from './record.producer.js';
