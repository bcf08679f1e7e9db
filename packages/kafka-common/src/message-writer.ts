import { Buffer } from 'node:buffer';
import type { PayloadSerializer, Schema } from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  isSchemaWireError,
  SchemaWireError,
  Serializer,
  wrapError,
} from '@schemawire/core-client';
import { mergeCarrierHeaders } from './carrier-headers.js';
import type { OutgoingMessage, RawHeaders } from './consumed.js';
import type { TopicDefinition } from './topic-definition.js';

/**
 * A message before serialization. A `null` value is a tombstone and is sent as one. The key is any
 * value when there is a key serializer, else a string, a Buffer or null, sent as it is.
 */
export interface UnserializedMessage {
  readonly key?: unknown;
  readonly value: unknown;
  readonly headers?: RawHeaders;
}

/**
 * Serializes the values (and keys) of the messages of a send, the same way for every client: each
 * topic's schema made ready once, then every message written without a promise; the key carrier puts
 * the value's schema id in the key; schema id headers never overwrite the message's own.
 */
export class MessageWriter {
  readonly #value: PayloadSerializer;
  readonly #key: PayloadSerializer | undefined;

  readonly #byTopic = new WeakMap<TopicDefinition, MessageWriter>();

  constructor(value: PayloadSerializer, key: PayloadSerializer | undefined) {
    this.#value = value;
    this.#key = key;
  }

  /**
   * The writer of a defined topic's messages: this one's serializers (registry, formats, options)
   * writing the topic's schemas; made once per definition. SCHEMAWIRE_CONFIG when a schema of the
   * topic has no schema-aware serializer to write it.
   */
  forTopic(topic: TopicDefinition): MessageWriter {
    let writer = this.#byTopic.get(topic);
    if (writer === undefined) {
      const key = topic.key === undefined ? this.#key : withSchema(this.#key, topic.key, 'key', topic.name);
      writer = new MessageWriter(withSchema(this.#value, topic.value, 'value', topic.name), key);
      this.#byTopic.set(topic, writer);
    }
    return writer;
  }

  /**
   * Makes ready the schema of each topic a send writes a value or key to, once per topic; resolves at
   * once, without asking the registry, when the serializers have them cached. Tombstones and null keys
   * need no schema, so a topic that only has those never asks the registry.
   */
  async prepare(
    entries: readonly { topic: string; messages: readonly UnserializedMessage[] }[],
  ): Promise<void> {
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

  /**
   * Every message of a topic serialized, once {@link prepare} made its schemas ready. A message that
   * cannot be written fails the lot, with its place (`label[i]`, i from `positions` when given) in the
   * error.
   */
  writeAll(
    topic: string,
    messages: readonly UnserializedMessage[],
    label: string,
    positions?: readonly number[],
  ): OutgoingMessage[] {
    const out = new Array<OutgoingMessage>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      try {
        out[i] = this.write(topic, messages[i]!);
      } catch (error) {
        throw messageError(error, `${label}[${positions?.[i] ?? i}]`, topic);
      }
    }
    return out;
  }

  /** One message serialized; its `key` is left out when the message has none. */
  write(topic: string, message: UnserializedMessage): OutgoingMessage {
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
    const out: OutgoingMessage = { value: value.bytes };
    if (key !== undefined) out.key = key;
    if (headers !== undefined) out.headers = headers;
    return out;
  }
}

function withSchema(
  serializer: PayloadSerializer | undefined,
  schema: Schema,
  role: 'value' | 'key',
  topic: string,
): PayloadSerializer {
  if (serializer instanceof Serializer) return serializer.withSchema(schema);
  throw new SchemaWireError(
    ErrorCode.Config,
    `cannot send to topic ${JSON.stringify(topic)}: its ${role} schema needs a schema-aware ${role} serializer (a Serializer) to write it`,
    { topic },
  );
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
