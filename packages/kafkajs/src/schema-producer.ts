import type { PayloadSerializer } from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  isSchemaWireError,
  SchemaWireError,
  wrapError,
} from '@schemawire/core-client';
import type { IHeaders, Message, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';
import { mergeCarrierHeaders } from './carrier-headers.js';

/** The serializers of a {@link SchemaProducer}. */
export interface SchemaProducerOptions {
  /** Writes message values, with its subject name strategy and schema id carrier. */
  readonly value: PayloadSerializer;
  /** Writes message keys (a serializer made with `isKey`); without it keys are sent as given. */
  readonly key?: PayloadSerializer;
}

/**
 * A message before serialization. A `null` value is a tombstone and is sent as one. The key is any
 * value when there is a key serializer, else a string, a Buffer or null, sent as it is.
 */
export interface SchemaMessage {
  readonly key?: unknown;
  readonly value: unknown;
  readonly headers?: IHeaders;
  readonly partition?: number;
  readonly timestamp?: string;
}

/** kafkajs's `ProducerRecord`, with messages before serialization. */
export interface SchemaProducerRecord extends Omit<ProducerRecord, 'messages'> {
  readonly messages: readonly SchemaMessage[];
}

/** kafkajs's `TopicMessages`, with messages before serialization. */
export interface SchemaTopicMessages {
  readonly topic: string;
  readonly messages: readonly SchemaMessage[];
}

/** kafkajs's `ProducerBatch`, with messages before serialization. */
export interface SchemaProducerBatch extends Omit<ProducerBatch, 'topicMessages'> {
  readonly topicMessages: readonly SchemaTopicMessages[];
}

/**
 * A kafkajs producer that serializes values (and keys) with schemawire serializers. A send first makes
 * each topic's schema ready, once per topic, then writes every message synchronously, so a batch costs
 * no promise per message; if any message cannot be written, nothing of the send is sent.
 */
export class SchemaProducer {
  /** The kafkajs producer; connect and disconnect it as usual. */
  readonly producer: Producer;
  readonly #value: PayloadSerializer;
  readonly #key: PayloadSerializer | undefined;

  constructor(producer: Producer, options: SchemaProducerOptions) {
    this.producer = producer;
    this.#value = options.value;
    this.#key = options.key;
  }

  /** Serializes the messages and sends them with kafkajs's `send`. */
  async send(record: SchemaProducerRecord): Promise<RecordMetadata[]> {
    await this.#prepare([record]);
    const messages = this.#serializeAll(record.topic, record.messages, 'messages');
    return this.producer.send({ ...record, messages });
  }

  /** Serializes the messages of every topic and sends them with kafkajs's `sendBatch`. */
  async sendBatch(batch: SchemaProducerBatch): Promise<RecordMetadata[]> {
    await this.#prepare(batch.topicMessages);
    const topicMessages = batch.topicMessages.map(({ topic, messages }, i) => ({
      topic,
      messages: this.#serializeAll(topic, messages, `topicMessages[${i}].messages`),
    }));
    return this.producer.sendBatch({ ...batch, topicMessages });
  }

  // Tombstones and null keys need no schema, so a topic that only has those never asks the registry.
  async #prepare(entries: readonly SchemaTopicMessages[]): Promise<void> {
    const waits: Promise<unknown>[] = [];
    const valueTopics = new Set<string>();
    const keyTopics = new Set<string>();
    for (const { topic, messages } of entries) {
      for (const message of messages) {
        if (message.value !== null && !valueTopics.has(topic)) {
          valueTopics.add(topic);
          waits.push(this.#value.prepare(topic));
        }
        if (this.#key !== undefined && message.key != null && !keyTopics.has(topic)) {
          keyTopics.add(topic);
          waits.push(this.#key.prepare(topic));
        }
      }
    }
    if (waits.length > 0) await Promise.all(waits);
  }

  #serializeAll(topic: string, messages: readonly SchemaMessage[], label: string): Message[] {
    const out = new Array<Message>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      try {
        out[i] = this.#serialize(topic, messages[i]!);
      } catch (error) {
        throw messageError(error, `${label}[${i}]`, topic);
      }
    }
    return out;
  }

  #serialize(topic: string, message: SchemaMessage): Message {
    const value = this.#value.serializeSync(topic, message.value);
    let headers = message.headers;
    let key: Buffer | string | null | undefined;
    if (this.#key === undefined) {
      key = rawKey(message.key);
    } else if (message.key == null) {
      key = message.key;
    } else {
      const serialized = this.#key.serializeSync(topic, message.key);
      key = serialized.bytes;
      headers = mergeCarrierHeaders(headers, serialized.headers);
    }
    if (value.key !== undefined) {
      if (key != null) {
        throw new SchemaWireError(
          ErrorCode.Config,
          'cannot use the key carrier: the message has a key of its own, and the key carrier puts the value schema id there',
        );
      }
      key = value.key;
    }
    headers = mergeCarrierHeaders(headers, value.headers);
    const out: Message = { value: value.bytes };
    if (key !== undefined) out.key = key;
    if (headers !== undefined) out.headers = headers;
    if (message.partition !== undefined) out.partition = message.partition;
    if (message.timestamp !== undefined) out.timestamp = message.timestamp;
    return out;
  }
}

function rawKey(key: unknown): Buffer | string | null | undefined {
  if (key === undefined || key === null || typeof key === 'string' || Buffer.isBuffer(key)) return key;
  throw new SchemaWireError(
    ErrorCode.Config,
    `cannot send key: without a key serializer a key must be a string, a Buffer or null, not ${describeValue(key)}`,
  );
}

// The message's place in the send, so the caller can find it among thousands.
function messageError(error: unknown, where: string, topic: string): SchemaWireError {
  const cause = isSchemaWireError(error)
    ? error
    : wrapError(error, ErrorCode.SerializationFailed, 'cannot serialize message', { topic });
  return new SchemaWireError(
    cause.code,
    `cannot send ${where} to topic ${JSON.stringify(topic)}: ${cause.message}`,
    {
      topic,
      schemaId: cause.schemaId,
      subject: cause.subject,
      version: cause.version,
      cause,
      retriable: cause.retriable,
    },
  );
}
