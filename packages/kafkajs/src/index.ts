export { mergeCarrierHeaders } from './carrier-headers.js';
export { DEAD_LETTER_HEADERS, deadLetterMessage } from './dead-letter.js';
export type { DeliveryRetry } from './delivery.js';
export { DeliveryError } from './delivery.js';
export type { ConsumedMessage, DeadLetterTarget, ErrorAction, ErrorPolicy } from './error-policy.js';
export { checkErrorPolicy, errorAction } from './error-policy.js';
export type { ConnectRefusal } from './kafka-error.js';
export { connectRefusal, kafkaError } from './kafka-error.js';
export type { RetryBackoffOptions } from './retry-backoff.js';
export { RetryBackoff } from './retry-backoff.js';
export type {
  ConsumerStats,
  Decoded,
  DecodedMessage,
  SchemaConsumerLogger,
  SchemaConsumerOptions,
  SchemaConsumerRunConfig,
  SchemaEachBatchHandler,
  SchemaEachBatchPayload,
  SchemaEachMessageHandler,
  SchemaEachMessagePayload,
} from './schema-consumer.js';
export { SchemaConsumer } from './schema-consumer.js';
export type {
  SchemaMessage,
  SchemaProducerBatch,
  SchemaProducerOptions,
  SchemaProducerRecord,
  SchemaTopicMessages,
} from './schema-producer.js';
export { isRetriableKafkaError, SchemaProducer } from './schema-producer.js';
