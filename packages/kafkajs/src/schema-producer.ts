import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type {
  DeliveryRetry,
  KeyInputOf,
  PartitionShare,
  RetryBackoff,
  SchemaProducerBaseOptions,
  TopicRef,
  ValueInputOf,
} from '@schemawire/kafka-common';
import {
  DeliveryError,
  deliver,
  deliverySettings,
  MessageWriter,
  PartitionQueue,
  PartitionShares,
  TopicMetadataCache,
  topicName,
} from '@schemawire/kafka-common';
import type {
  Admin,
  ICustomPartitioner,
  IHeaders,
  Kafka,
  Message,
  PartitionMetadata,
  Producer,
  ProducerBatch,
  ProducerConfig,
  ProducerRecord,
  RecordMetadata,
} from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { connectRefusal, kafkaError } from './kafka-error.js';

/** The serializers of a {@link SchemaProducer}, how it delivers, and the client's settings. */
export interface SchemaProducerOptions extends SchemaProducerBaseOptions {
  /**
   * kafkajs producer settings. `idempotent` defaults to true with `acks` -1, so a message sent again
   * is written once; kafkajs's own retries of one attempt default to 5.
   */
  readonly producer?: ProducerConfig;
}

/**
 * A message before serialization. A `null` value is a tombstone and is sent as one. The key is any
 * value when there is a key serializer, else a string, a Buffer or null, sent as it is. `Key` and
 * `Value` are the input types of a defined topic's schemas.
 */
export interface SchemaMessage<Key = unknown, Value = unknown> {
  readonly key?: Key;
  readonly value: Value;
  readonly headers?: IHeaders;
  readonly partition?: number;
  readonly timestamp?: string;
}

/**
 * kafkajs's `ProducerRecord`, with messages before serialization; acks are the producer's. The topic is
 * a name or a definition (see `defineTopic`), whose schemas the messages are written with and typed by.
 */
export interface SchemaProducerRecord<T extends TopicRef = TopicRef>
  extends Omit<ProducerRecord, 'topic' | 'messages' | 'acks'> {
  readonly topic: T;
  readonly messages: readonly SchemaMessage<KeyInputOf<T>, ValueInputOf<T>>[];
}

/** kafkajs's `TopicMessages`, with messages before serialization, to a topic given by name or definition. */
export interface SchemaTopicMessages<T extends TopicRef = TopicRef> {
  readonly topic: T;
  readonly messages: readonly SchemaMessage<KeyInputOf<T>, ValueInputOf<T>>[];
}

/** kafkajs's `ProducerBatch`, with messages before serialization; acks are the producer's. */
export interface SchemaProducerBatch extends Omit<ProducerBatch, 'topicMessages' | 'acks'> {
  readonly topicMessages: readonly SchemaTopicMessages[];
}

/**
 * A kafkajs producer that serializes values (and keys) with schemawire serializers and counts a message
 * as sent only once a broker acknowledged its partition. A send first makes each topic's schema ready,
 * once per topic, then writes every message synchronously (if any message cannot be written, nothing
 * of the send is sent), assigns each its partition, and sends each partition's messages on its own, so
 * that every partition's outcome is known: partitions that fail with a retriable error are sent again
 * until `deliveryTimeoutMs`, and what is still not acknowledged then fails the send with a
 * {@link DeliveryError} that counts it exactly. Concurrent sends to one partition go out one after
 * another, re-sends included, so they land in the order they were made.
 */
export class SchemaProducer {
  /**
   * The kafkajs producer this one sends through. Call `connect()` and `disconnect()` on the
   * SchemaProducer, not on this: they also handle the admin client it reads partitions with.
   */
  readonly producer: Producer;
  readonly #admin: Admin;
  readonly #writer: MessageWriter;
  readonly #acks: -1 | 0 | 1;
  readonly #deliveryTimeoutMs: number;
  readonly #backoff: RetryBackoff;
  readonly #onRetry: ((retry: DeliveryRetry) => void) | undefined;
  readonly #partitioner: ReturnType<ICustomPartitioner>;
  readonly #partitions = new TopicMetadataCache((topic) => this.#fetchPartitions(topic));
  readonly #queue = new PartitionQueue();

  constructor(kafka: Kafka, options: SchemaProducerOptions) {
    this.#writer = new MessageWriter(options.value, options.key);
    const { acks, idempotent, deliveryTimeoutMs, backoff } = deliverySettings(
      options,
      options.producer?.idempotent,
    );
    this.#acks = acks;
    this.#deliveryTimeoutMs = deliveryTimeoutMs;
    this.#backoff = backoff;
    this.#onRetry = options.onRetry;
    const createPartitioner = options.producer?.createPartitioner ?? Partitioners.DefaultPartitioner;
    this.#partitioner = createPartitioner();
    // Partitions are assigned here, so the producer's partitioner never decides; it is named only to
    // keep kafkajs from warning that its default changed.
    this.producer = kafka.producer({
      retry: { retries: 5 },
      ...options.producer,
      idempotent,
      createPartitioner,
    });
    this.#admin = kafka.admin();
  }

  /**
   * Connects the admin client that reads how many partitions a topic has, which tries each bootstrap
   * broker in turn and fails only when none answers, then the producer. A broker that is down does
   * not stop the producer while another answers: its connection errors are tried again, with fresh
   * metadata, until `deliveryTimeoutMs` has passed.
   */
  async connect(): Promise<void> {
    await this.#admin.connect();
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.connect();
        return;
      } catch (error) {
        const delayMs = this.#backoff.delayMs(attempt);
        if (!isRetriableKafkaError(error) || Date.now() + delayMs >= deadline) {
          await this.disconnect();
          throw error;
        }
        // An idempotent producer asks the broker the metadata calls the controller for its producer id;
        // kafkajs keeps asking that broker, dead or not, until its metadata is refreshed, which a
        // disconnect forces.
        await this.producer.disconnect();
        await sleep(delayMs);
      }
    }
  }

  /** Disconnects both. */
  async disconnect(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.#admin.disconnect()]);
  }

  /**
   * Serializes the messages and sends them; resolves once every partition acknowledged its messages.
   * A defined topic's messages are typed by its schemas and written with them.
   */
  async send<T extends TopicRef>(record: SchemaProducerRecord<T>): Promise<RecordMetadata[]> {
    const { messages, topic, ...options } = record;
    return this.sendBatch({ ...options, topicMessages: [{ topic, messages } as SchemaTopicMessages] });
  }

  /**
   * Serializes the messages of every topic and sends them, as {@link send}. Messages to a defined
   * topic are written with its schemas but, in a batch, typed loosely: {@link send} types them.
   */
  async sendBatch(batch: SchemaProducerBatch): Promise<RecordMetadata[]> {
    const { topicMessages, ...options } = batch;
    const entries = topicMessages.map(({ topic, messages }) => ({
      topic: topicName(topic),
      messages,
      writer: typeof topic === 'string' ? this.#writer : this.#writer.forTopic(topic),
    }));
    if (entries.every((entry) => entry.writer === this.#writer)) {
      await this.#writer.prepare(entries);
    } else {
      const writers = new Set(entries.map((entry) => entry.writer));
      await Promise.all(
        [...writers].map((writer) => writer.prepare(entries.filter((entry) => entry.writer === writer))),
      );
    }
    const serialized = entries.map(({ topic, messages, writer }, i) => ({
      topic,
      messages: this.#serializeAll(
        writer,
        topic,
        messages,
        topicMessages.length === 1 ? 'messages' : `topicMessages[${i}].messages`,
      ),
    }));
    const shares = await this.#share(serialized);
    const total = shares.reduce((sum, share) => sum + share.messages.length, 0);
    const outcome = await deliver(
      shares,
      async (share) => {
        const answer = await this.producer.send({
          ...options,
          acks: this.#acks,
          topic: share.topic,
          messages: share.messages,
        });
        if (this.#acks === 0) return { topicName: share.topic, partition: share.partition, errorCode: 0 };
        return answer.find((entry) => entry.topicName === share.topic && entry.partition === share.partition);
      },
      {
        deadline: Date.now() + this.#deliveryTimeoutMs,
        backoff: this.#backoff,
        isRetriable: isRetriableKafkaError,
        onRetry: this.#onRetry,
        queue: this.#queue,
      },
    );
    if (outcome.failed.length > 0) throw new DeliveryError(outcome, total);
    return outcome.acks;
  }

  // Each message's partition is fixed before the first attempt, so a re-send goes where the first went
  // and keeps the partition's order.
  async #share(
    topicMessages: readonly { topic: string; messages: Message[] }[],
  ): Promise<PartitionShare<Message>[]> {
    const shares = new PartitionShares<Message>();
    let position = 0;
    for (const { topic, messages } of topicMessages) {
      const partitionMetadata = await this.#partitions.get(topic);
      for (const message of messages) {
        const partition = this.#partitioner({ topic, partitionMetadata, message });
        shares.add(
          topic,
          partition,
          message.partition === partition ? message : { ...message, partition },
          position++,
        );
      }
    }
    return shares.list();
  }

  // The admin client never creates a topic. An empty send first asks for the topic's metadata the way
  // a send does, which creates it where the producer and the broker allow that (kafkajs's
  // allowAutoTopicCreation, Kafka's auto.create.topics.enable). A failure that may pass (a broker down,
  // a topic still being created) is asked again until the delivery timeout.
  async #fetchPartitions(topic: string): Promise<PartitionMetadata[]> {
    const deadline = Date.now() + this.#deliveryTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        await this.producer.send({ topic, messages: [], acks: this.#acks });
        const found = (await this.#admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
        if (found.length > 0) return found;
        failure = new SchemaWireError(ErrorCode.Kafka, 'it has none', { topic, retriable: true });
      } catch (error) {
        failure = error;
      }
      const delayMs = this.#backoff.delayMs(attempt);
      if (!isRetriableKafkaError(failure) || Date.now() + delayMs >= deadline) {
        throw kafkaError(`cannot read the partitions of topic ${JSON.stringify(topic)}`, failure, { topic });
      }
      await sleep(delayMs);
    }
  }

  #serializeAll(
    writer: MessageWriter,
    topic: string,
    messages: readonly SchemaMessage[],
    label: string,
  ): Message[] {
    const out = writer.writeAll(topic, messages, label) as Message[];
    // The writer knows only key, value and headers; a message's partition and timestamp go as given.
    for (let i = 0; i < messages.length; i++) {
      const { partition, timestamp } = messages[i]!;
      if (partition !== undefined) out[i]!.partition = partition;
      if (timestamp !== undefined) out[i]!.timestamp = timestamp;
    }
    return out;
  }
}

/**
 * Whether a kafkajs send may succeed when tried again: kafkajs marks what its own retries may cure as
 * retriable, and wraps it in KafkaJSNumberOfRetriesExceeded (not retriable) once they ran out. A
 * refused login or a certificate that does not verify fails the same way every time, however kafkajs
 * marks the connection error it comes in.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (connectRefusal(error) !== undefined) return false;
  const { retriable, name } = error as { retriable?: unknown; name?: unknown };
  return retriable === true || name === 'KafkaJSNumberOfRetriesExceeded';
}
