import { Admin } from '@platformatic/kafka';
import type { ErrorContext, PayloadSerializer, SchemaWireError } from '@schemawire/core-client';
import type { DeliveryRetry } from '@schemawire/kafkajs';
import * as kafkajs from '@schemawire/kafkajs';
import * as platformatic from '@schemawire/platformatic-kafka';
import type { IHeaders } from 'kafkajs';
import type { KafkaClientName } from './client-option.js';
import type { OpenedKafka } from './kafka-option.js';
import { platformaticConnection } from './platformatic-option.js';

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
    producer: { ...connection, idempotent },
  });
  return {
    // An idempotent producer retries a refused connection without end; a plain client asking for the
    // broker's API versions gives up after its few retries, and checks the login and TLS on the way.
    connect: async () => {
      const probe = new Admin(connection);
      try {
        await probe.listApis();
      } catch (error) {
        throw lastCause(error);
      } finally {
        await probe.close();
      }
    },
    send: async (topic, messages) => {
      const { offsets } = await producer.send({ messages: messages.map((m) => ({ ...m, topic })) });
      return offsets.map(({ partition, offset }) => ({ partition, baseOffset: String(offset) }));
    },
    close: () => producer.close(),
    kafkaError: platformatic.platformaticError,
  };
}

// @platformatic/kafka wraps a failed connect in an error per attempt, each in one per broker; the last
// attempt's innermost error names the broker and the reason (refused, a TLS code), as kafkajs's would.
function lastCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const { errors, cause } = current as { errors?: unknown; cause?: unknown };
    const next = Array.isArray(errors) && errors.length > 0 ? errors.at(-1) : cause;
    if (typeof next !== 'object' || next === null) return current;
    current = next;
  }
  return current;
}
