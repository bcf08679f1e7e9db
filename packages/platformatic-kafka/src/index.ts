export type {
  ConsumerStats,
  Decoded,
  DeliveryRetry,
  RetryBackoffOptions,
  TopicDefinition,
  TopicRef,
} from '@schemawire/kafka-common';
export { DEAD_LETTER_HEADERS, DeliveryError, defineTopic, RetryBackoff } from '@schemawire/kafka-common';
export { fromHeaderEntries } from './headers.js';
export { isRetriablePlatformaticError, platformaticError } from './kafka-error.js';
export type {
  ConsumedMessage,
  DeadLetterTarget,
  ErrorPolicy,
  SchemaConsumeOptions,
  SchemaConsumerOptions,
  SchemaMessageHandler,
  SchemaMessagePayload,
} from './schema-consumer.js';
export { SchemaConsumer } from './schema-consumer.js';
export type {
  PlatformaticProducerOptions,
  SchemaMessage,
  SchemaProduceResult,
  SchemaProducerOptions,
  SchemaSendOptions,
} from './schema-producer.js';
export { SchemaProducer } from './schema-producer.js';
