import type { ErrorContext, PayloadSerializer, SchemaWireError } from '@schemawire/core-client';
import type { DeliveryRetry } from '@schemawire/kafkajs';
import * as kafkajs from '@schemawire/kafkajs';
import * as platformatic from '@schemawire/platformatic-kafka';
import type { IHeaders } from 'kafkajs';
import type { KafkaClientName } from './client-option.js';
import type { OpenedKafka } from './kafka-option.js';
import { platformaticConnection, probeConnection } from './platformatic-option.js';

/** A message of an input line, before serialization. */
export interface OutgoingMessage {
  readonly key?: unknown;
  readonly value: unknown;
  readonly headers?: IHeaders;
}

/** Where a send wrote in one partition: the offset its first message there got, when acknowledged. */
export interface SentPartition {
  readonly partition: number;
  readonly baseOffset?: string | undefined;
}

/** How `produce` sends, whichever Kafka client it runs on. */
export interface MessageSender {
  connect(): Promise<void>;
  /** Serializes and sends; a `DeliveryError` counts what brokers did not acknowledge. */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<SentPartition[]>;
  close(): Promise<void>;
  /** A failure of this client as a SCHEMAWIRE_KAFKA error saying what could not be done. */
  kafkaError(action: string, error: unknown, context?: ErrorContext): SchemaWireError;
}

/** What a {@link MessageSender} writes with and how it delivers. */
export interface SenderOptions {
  readonly value: PayloadSerializer;
  readonly key: PayloadSerializer;
  readonly acks: -1 | 0 | 1;
  readonly idempotent: boolean;
  readonly onRetry: (retry: DeliveryRetry) => void;
  readonly deliveryTimeoutMs?: number | undefined;
}

/** A sender on `client`, reaching the cluster with the settings of `opened`. */
export function openMessageSender(
  client: KafkaClientName,
  opened: OpenedKafka,
  options: SenderOptions,
): MessageSender {
  const { idempotent, deliveryTimeoutMs, ...delivery } = options;
  const timeout = deliveryTimeoutMs === undefined ? {} : { deliveryTimeoutMs };
  if (client === 'kafkajs') {
    const producer = new kafkajs.SchemaProducer(opened.kafka, {
      ...delivery,
      ...timeout,
      producer: { idempotent },
    });
    return {
      connect: () => producer.connect(),
      send: (topic, messages) => producer.send({ topic, messages: [...messages] }),
      close: () => producer.disconnect(),
      kafkaError: kafkajs.kafkaError,
    };
  }
  const connection = platformaticConnection(opened.config);
  const producer = new platformatic.SchemaProducer({
    ...delivery,
    ...timeout,
    // As kafkajs does, a topic that does not exist yet is created where the broker creates topics on use.
    producer: { ...connection, idempotent, autocreateTopics: true },
  });
  return {
    // An idempotent producer retries a refused connection without end; a probe gives up after its few
    // retries.
    connect: () => probeConnection(connection),
    send: async (topic, messages) => {
      const { offsets } = await producer.send({ messages: messages.map((m) => ({ ...m, topic })) });
      return offsets.map(({ partition, offset }) => ({ partition, baseOffset: String(offset) }));
    },
    close: () => producer.close(),
    kafkaError: platformatic.platformaticError,
  };
}
