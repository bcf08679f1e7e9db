export { mergeCarrierHeaders } from './carrier-headers.js';
export type { ConsumedMessage, OutgoingMessage, RawHeaders, RawMessage } from './consumed.js';
export type { DeadLetterMessage } from './dead-letter.js';
export { DEAD_LETTER_HEADERS, deadLetterMessage } from './dead-letter.js';
export type { AnyDecoded, Decoded, DecodedSchema } from './decoded.js';
export { decodeError, decodeWith, toDecoded } from './decoded.js';
export type { DeliveryOptions, DeliveryOutcome, DeliveryRetry, PartitionShare } from './delivery.js';
export { DeliveryError, deliver, PartitionQueue, PartitionShares, partitionKey } from './delivery.js';
export type { DeliverySettings, SchemaProducerBaseOptions } from './delivery-settings.js';
export { deliverySettings } from './delivery-settings.js';
export type { DeadLetterTarget, ErrorAction, ErrorPolicy } from './error-policy.js';
export { checkErrorPolicy, errorAction, hasSend } from './error-policy.js';
export type {
  ConsumerLogger,
  ConsumerStats,
  MessageDecodingOptions,
  SchemaConsumerBaseOptions,
} from './message-decoding.js';
export { MessageDecoding } from './message-decoding.js';
export type { UnserializedMessage } from './message-writer.js';
export { MessageWriter } from './message-writer.js';
export type { RetryBackoffOptions } from './retry-backoff.js';
export { RetryBackoff } from './retry-backoff.js';
export type { KeyInputOf, TopicDefinition, TopicRef, ValueInputOf } from './topic-definition.js';
export { defineTopic, topicName } from './topic-definition.js';
export { METADATA_MAX_AGE_MS, TopicMetadataCache } from './topic-metadata-cache.js';
