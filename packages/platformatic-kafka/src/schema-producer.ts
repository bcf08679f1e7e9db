import { Buffer } from 'node:buffer';
import type { MessageToProduce, ProducerOptions, TopicWithPartitionAndOffset } from '@platformatic/kafka';
import { murmur2, Producer } from '@platformatic/kafka';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type {
  DeliveryRetry,
  KeyInputOf,
  PartitionShare,
  RawHeaders,
  RetryBackoff,
  SchemaProducerBaseOptions,
  TopicRef,
  UnserializedMessage,
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
import { toHeaderMap } from './headers.js';
import { isRetriablePlatformaticError, platformaticError } from './kafka-error.js';

/** The client settings a {@link SchemaProducer} leaves to the application. */
export type PlatformaticProducerOptions = Omit<
  ProducerOptions<Buffer, Buffer, Buffer, Buffer>,
  'acks' | 'serializers' | 'beforeSerialization' | 'registry' | 'partitioner' | 'transactionalId'
>;

/** The serializers of a {@link SchemaProducer}, how it delivers, and the client's settings. */
export interface SchemaProducerOptions extends SchemaProducerBaseOptions {
  /**
   * @platformatic/kafka producer settings (`clientId`, `bootstrapBrokers`, ...). `idempotent` defaults
   * to true with `acks` -1, so a message sent again is written once.
   */
  readonly producer: PlatformaticProducerOptions;
}

/**
 * A message before serialization, with its topic as @platformatic/kafka's messages have: a name, or a
 * definition (see `defineTopic`) whose schemas the message is written with and typed by. A `null`
 * value is a tombstone. The key is any value when there is a key serializer, else a string, a Buffer
 * or null, sent as it is.
 */
export interface SchemaMessage<T extends TopicRef = TopicRef> extends UnserializedMessage {
  readonly topic: T;
  readonly key?: KeyInputOf<T>;
  readonly value: ValueInputOf<T>;
  readonly headers?: RawHeaders;
  readonly partition?: number;
  readonly timestamp?: bigint;
}

/** What a {@link SchemaProducer.send} takes. */
export interface SchemaSendOptions<T extends TopicRef = TopicRef> {
  readonly messages: readonly SchemaMessage<T>[];
}

/** What a send achieved: the offset each acknowledged partition gave its first message of the send. */
export interface SchemaProduceResult {
  readonly offsets: TopicWithPartitionAndOffset[];
}

type OutMessage = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

// Java's and kafkajs's default partitioner keep the hash positive this way, so a key lands on the same
// partition whichever of these clients wrote it.
const POSITIVE = 0x7fffffff;

/**
 * A @platformatic/kafka producer that serializes values (and keys) with schemawire serializers and
 * counts a message as sent only once a broker acknowledged its partition. A send makes each topic's
 * schema ready once, writes every message without a promise (nothing is sent if one does not fit),
 * assigns each its partition, and sends each partition's messages on their own: retriable failures are
 * sent again until `deliveryTimeoutMs`, and what is still unacknowledged fails the send with a
 * {@link DeliveryError} that counts it exactly.
 */
export class SchemaProducer {
  /** The @platformatic/kafka producer this one sends through; close the SchemaProducer, not this. */
  readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #writer: MessageWriter;
  readonly #acks: -1 | 0 | 1;
  readonly #deliveryTimeoutMs: number;
  readonly #backoff: RetryBackoff;
  readonly #onRetry: ((retry: DeliveryRetry) => void) | undefined;
  readonly #queue = new PartitionQueue();
  readonly #partitions = new TopicMetadataCache((topic) => this.#fetchPartitions(topic));
  readonly #roundRobin = new Map<string, number>();

  constructor(options: SchemaProducerOptions) {
    this.#writer = new MessageWriter(options.value, options.key);
    const { acks, idempotent, deliveryTimeoutMs, backoff } = deliverySettings(
      options,
      options.producer.idempotent,
    );
    this.#acks = acks;
    this.#deliveryTimeoutMs = deliveryTimeoutMs;
    this.#backoff = backoff;
    this.#onRetry = options.onRetry;
    this.producer = new Producer({ ...options.producer, idempotent, acks: this.#acks });
  }

  /** Closes the producer. */
  close(): Promise<void> {
    return this.producer.close();
  }

  /** Serializes the messages and sends them; resolves once every partition acknowledged its messages. */
  async send<T extends TopicRef>(options: SchemaSendOptions<T>): Promise<SchemaProduceResult> {
    const byTopic = groupByTopic(options.messages, this.#writer);
    if (byTopic.every((group) => group.writer === this.#writer)) {
      await this.#writer.prepare(byTopic);
    } else {
      await Promise.all(byTopic.map((group) => group.writer.prepare([group])));
    }
    const shares = await this.#share(byTopic);
    const total = options.messages.length;
    const outcome = await deliver(shares, (share) => this.#sendShare(share), {
      deadline: Date.now() + this.#deliveryTimeoutMs,
      backoff: this.#backoff,
      isRetriable: isRetriablePlatformaticError,
      onRetry: this.#onRetry,
      queue: this.#queue,
    });
    if (outcome.failed.length > 0) throw new DeliveryError(outcome, total);
    return { offsets: outcome.acks };
  }

  async #sendShare(share: PartitionShare<OutMessage>): Promise<TopicWithPartitionAndOffset | undefined> {
    const result = await this.producer.send({ messages: share.messages });
    if (this.#acks === 0) return { topic: share.topic, partition: share.partition, offset: -1n };
    return result.offsets?.find(
      (entry) => entry.topic === share.topic && entry.partition === share.partition,
    );
  }

  // Each message's partition is fixed before the first attempt, so a re-send goes where the first went
  // and keeps the partition's order; positions follow the order of the send, whatever the topics.
  async #share(byTopic: readonly TopicGroup[]): Promise<PartitionShare<OutMessage>[]> {
    const shares = new PartitionShares<OutMessage>();
    const counts = await Promise.all(byTopic.map(({ topic }) => this.#partitions.get(topic)));
    byTopic.forEach(({ topic, writer, messages, positions }, t) => {
      const written = writer.writeAll(topic, messages, 'messages', positions);
      for (let i = 0; i < messages.length; i++) {
        const { partition: chosen, timestamp } = messages[i]!;
        const { key, value, headers } = written[i]!;
        const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : (key ?? undefined);
        const partition = chosen ?? this.#partitionFor(topic, keyBytes, counts[t]!);
        const out: OutMessage = { topic, partition };
        if (keyBytes !== undefined) out.key = keyBytes;
        if (value !== null) out.value = value;
        const map = toHeaderMap(headers);
        if (map !== undefined) out.headers = map;
        if (timestamp !== undefined) out.timestamp = timestamp;
        shares.add(topic, partition, out, positions[i]!);
      }
    });
    return shares.list();
  }

  #partitionFor(topic: string, key: Buffer | undefined, count: number): number {
    if (key !== undefined) return (murmur2(key) & POSITIVE) % count;
    const next = this.#roundRobin.get(topic) ?? 0;
    this.#roundRobin.set(topic, (next + 1) % count);
    return next;
  }

  async #fetchPartitions(topic: string): Promise<number> {
    let count: number | undefined;
    try {
      const metadata = await this.producer.metadata({ topics: [topic], forceUpdate: true });
      count = metadata.topics.get(topic)?.partitionsCount;
    } catch (error) {
      throw platformaticError(`cannot read the partitions of topic ${JSON.stringify(topic)}`, error, {
        topic,
      });
    }
    if (count === undefined || count === 0) {
      throw new SchemaWireError(
        ErrorCode.Kafka,
        `cannot read the partitions of topic ${JSON.stringify(topic)}: it has none`,
        { topic },
      );
    }
    return count;
  }
}

interface TopicGroup {
  readonly topic: string;
  /** The writer of the topic's messages: the producer's, or a defined topic's. */
  readonly writer: MessageWriter;
  readonly messages: SchemaMessage[];
  /** Where each message stood in the send. */
  readonly positions: number[];
}

function groupByTopic(messages: readonly SchemaMessage[], writer: MessageWriter): TopicGroup[] {
  const groups = new Map<TopicRef, TopicGroup>();
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const { topic } = message;
    let group = groups.get(topic);
    if (group === undefined) {
      group = {
        topic: topicName(topic),
        writer: typeof topic === 'string' ? writer : writer.forTopic(topic),
        messages: [],
        positions: [],
      };
      groups.set(topic, group);
    }
    group.messages.push(message);
    group.positions.push(i);
  }
  return [...groups.values()];
}
