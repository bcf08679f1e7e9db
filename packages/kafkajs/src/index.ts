export type { DeliveryRetry, RetryBackoffOptions, TopicDefinition, TopicRef } from '@schemawire/kafka-common';
export { DEAD_LETTER_HEADERS, DeliveryError, defineTopic, RetryBackoff } from '@schemawire/kafka-common';
export { consumerRetry } from './consumer-retry.js';
export type { ConsumedMessage, DeadLetterTarget, ErrorAction, ErrorPolicy } from './error-policy.js';
export { checkErrorPolicy, deadLetterMessage, errorAction, mergeCarrierHeaders } from './error-policy.js';
export type { ConnectRefusal } from './kafka-error.js';
export { connectRefusal, kafkaError } from './kafka-error.js';
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
  SchemaSubscribeTopics,
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
