import type { GroupPartitionsAssigner } from '@platformatic/kafka';
import { Consumer, ListOffsetTimestamps, Producer } from '@platformatic/kafka';
import type { Deserializer, SchemaWireError } from '@schemawire/core-client';
import type { ConsumerStats, Decoded, SchemaConsumerLogger } from '@schemawire/kafkajs';
import * as kafkajs from '@schemawire/kafkajs';
import type { ConsumedMessage } from '@schemawire/platformatic-kafka';
import * as platformatic from '@schemawire/platformatic-kafka';
import type { Admin, IHeaders } from 'kafkajs';
import type { KafkaClientName } from './client-option.js';
import type { OpenedKafka } from './kafka-option.js';
import type { OffsetLookup, PartitionRange } from './partition-ranges.js';
import { platformaticConnection, probeConnection } from './platformatic-option.js';

/** A message read, with its value (and key, with a key deserializer) decoded. */
export interface SourceMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders | undefined;
  readonly decoded: Decoded;
}

/** The partitions of a topic the group gave this consumer. */
export interface Assigned {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** What a {@link MessageSource} decodes with and whom it tells what happens. */
export interface SourceOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly value: Deserializer;
  readonly key: Deserializer | undefined;
  /** A message that cannot be decoded: fails the run, is skipped, or is sent to this topic as it came. */
  readonly onError: 'fail' | 'skip' | { readonly deadLetterTopic: string };
  /** A message policy `fail` stops at. */
  readonly onFailure: (error: SchemaWireError, consumed: ConsumedMessage) => void;
  /** The client gave up: consuming stopped. */
  readonly onCrash: (error: SchemaWireError) => void;
  /** The consumer joined its group (again), with the partitions it was given. */
  readonly onJoin: (assigned: readonly Assigned[]) => void;
  readonly logger: SchemaConsumerLogger;
}

/** Where reading starts, and what it reads. */
export interface ReadPlan {
  /** Without a start, a partition the group has no committed offset for starts at its beginning. */
  readonly fromBeginning: boolean;
  /** Where each partition starts (--offset), whatever the group committed. */
  readonly starts?: readonly PartitionRange[] | undefined;
  /** The only partitions read (--partition). */
  readonly only?: readonly PartitionRange[] | undefined;
}

/** How `consume` reads, whichever Kafka client it runs on. */
export interface MessageSource {
  /** Connects; a failure names the broker and why, as the client says it. */
  connect(): Promise<void>;
  /** Looks up watermarks, offsets by time and the group's committed offsets; after connect. */
  readonly offsets: OffsetLookup;
  /** Starts reading: messages go to `handler` one at a time, in order, each handled once it resolves. */
  run(plan: ReadPlan, handler: (message: SourceMessage) => Promise<void>): Promise<void>;
  /** Hands on no more messages: what was fetched and not handled is read next time by a named group. */
  pause(): void;
  stats(): ConsumerStats;
  /** Commits what was handled and disconnects. */
  close(): Promise<void>;
  /** A failure of this client as a SCHEMAWIRE_KAFKA error saying what could not be done. */
  kafkaError(action: string, error: unknown): SchemaWireError;
}

/** The consumer options of either client that say how messages decode, and what a failure does. */
function decoding<P>(options: SourceOptions, deadLetters: P | undefined) {
  const { value, key, onError, onFailure } = options;
  return {
    value,
    ...(key === undefined ? {} : { key }),
    onError:
      typeof onError === 'object' && deadLetters !== undefined
        ? { deadLetter: { topic: onError.deadLetterTopic, producer: deadLetters } }
        : (onError as 'fail' | 'skip'),
    onFailure,
  };
}

/** A source on `client`, reaching the cluster with the settings of `opened`. */
export function openMessageSource(
  client: KafkaClientName,
  opened: OpenedKafka,
  options: SourceOptions,
): MessageSource {
  return client === 'kafkajs' ? kafkajsSource(opened, options) : platformaticSource(opened, options);
}

function kafkajsSource(opened: OpenedKafka, options: SourceOptions): MessageSource {
  const { kafka } = opened;
  const { topics, onError } = options;
  const deadLetters = typeof onError === 'object' ? kafka.producer() : undefined;
  const admin = kafka.admin();
  const consumer = kafkajs.SchemaConsumer.create(
    kafka,
    { groupId: options.groupId, maxWaitTimeInMs: 500 },
    { ...decoding(options, deadLetters), logger: options.logger },
  );
  const { CRASH, GROUP_JOIN } = consumer.consumer.events;
  consumer.consumer.on(CRASH, ({ payload }) => {
    if (!payload.restart) options.onCrash(kafkajs.kafkaError('cannot consume messages', payload.error));
  });
  return {
    connect: async () => {
      await deadLetters?.connect();
      await consumer.connect();
      await admin.connect();
    },
    offsets: kafkajsOffsets(admin, options.groupId),
    run: async (plan, handler) => {
      // Partitions and start offsets are set once, at the first join, before anything is read.
      let positioned = plan.starts === undefined && plan.only === undefined;
      consumer.consumer.on(GROUP_JOIN, ({ payload }) => {
        const assigned = Object.entries(payload.memberAssignment).map(([topic, partitions]) => ({
          topic,
          partitions,
        }));
        if (!positioned) {
          positioned = true;
          consumer.pause(assigned);
          const isAssigned = ({ topic, partition }: PartitionRange) =>
            assigned.some((a) => a.topic === topic && a.partitions.includes(partition));
          for (const { topic, partition, start } of plan.starts?.filter(isAssigned) ?? []) {
            consumer.consumer.seek({ topic, partition, offset: start });
          }
          const read = plan.only?.filter(isAssigned);
          consumer.resume(
            read === undefined
              ? assigned
              : topics.map((topic) => ({
                  topic,
                  partitions: read.filter((r) => r.topic === topic).map((r) => r.partition),
                })),
          );
        }
        options.onJoin(assigned);
      });
      await consumer.subscribe({ topics: [...topics], fromBeginning: plan.fromBeginning });
      await consumer.run({
        partitionsConsumedConcurrently: 1,
        eachMessage: ({ topic, partition, message, decoded }) =>
          handler({
            topic,
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers,
            decoded,
          }),
      });
    },
    pause: () => consumer.pause(topics.map((topic) => ({ topic }))),
    stats: () => consumer.stats(),
    close: async () => {
      await consumer.disconnect();
      await admin.disconnect();
      await deadLetters?.disconnect();
    },
    kafkaError: kafkajs.kafkaError,
  };
}

function kafkajsOffsets(admin: Admin, groupId: string): OffsetLookup {
  return {
    watermarks: async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({
        partition,
        low: BigInt(low),
        high: BigInt(high),
      })),
    offsetsAt: async (topic, ms) =>
      new Map(
        (await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map(({ partition, offset }) => [
          partition,
          BigInt(offset),
        ]),
      ),
    committed: async (topic) => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(
        (committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]),
      );
    },
  };
}

type RawConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

function platformaticSource(opened: OpenedKafka, options: SourceOptions): MessageSource {
  const { topics, onError } = options;
  const connection = platformaticConnection(opened.config);
  const deadLetters =
    typeof onError === 'object' ? new Producer({ ...connection, autocreateTopics: true }) : undefined;
  // As kafkajs does, a topic that does not exist yet is created where the broker creates topics on use.
  const raw: RawConsumer = new Consumer({
    ...connection,
    groupId: options.groupId,
    maxWaitTime: 500,
    autocreateTopics: true,
  });
  const consumer = new platformatic.SchemaConsumer(raw, {
    ...decoding(options, deadLetters),
    onCrash: (error) => options.onCrash(platformatic.platformaticError('cannot consume messages', error)),
    logger: options.logger,
  });
  raw.on('consumer:group:join', ({ assignments }) => options.onJoin(assignments ?? []));
  // A paused source holds the message it was handed until it closes, and then fails its handler: a
  // handler that rejects once the consumer is stopping leaves its message uncommitted.
  let paused = false;
  let release = (): void => {};
  const released = new Promise<void>((_, reject) => {
    release = () => reject(new Error('not handled: the source was paused'));
  });
  // Nothing else waits on it when no message came after the pause.
  released.catch(() => {});
  return {
    connect: () => probeConnection(connection),
    offsets: platformaticOffsets(raw),
    run: (plan, handler) =>
      consumer.consume({
        topics: [...topics],
        ...(plan.starts === undefined
          ? { mode: 'committed', fallbackMode: plan.fromBeginning ? 'earliest' : 'latest' }
          : {
              mode: 'manual',
              offsets: plan.starts.map(({ topic, partition, start }) => ({
                topic,
                partition,
                offset: BigInt(start),
              })),
            }),
        ...(plan.only === undefined ? {} : { partitionAssigner: onlyThese(plan.only) }),
        eachMessage: ({ topic, partition, message, decoded }) => {
          if (paused) return released;
          return handler({
            topic,
            partition,
            offset: String(message.offset),
            key: message.key ?? null,
            value: message.value ?? null,
            headers: platformatic.fromHeaderEntries(message.headerEntries),
            decoded,
          });
        },
      }),
    pause: () => {
      paused = true;
    },
    stats: () => consumer.stats(),
    close: async () => {
      // The consumer waits for the message in hand: the one that ended the run is committed with it.
      const closing = consumer.close();
      release();
      await closing;
      await deadLetters?.close();
    },
    kafkaError: platformatic.platformaticError,
  };
}

/**
 * A group assignment giving this member the partitions of --partition and the others none, as kafkajs's
 * reads only those of its assignment.
 */
function onlyThese(ranges: readonly PartitionRange[]): GroupPartitionsAssigner {
  return (current, members) =>
    [...members.keys()].map((memberId) => {
      const assignments = new Map<string, { topic: string; partitions: number[] }>();
      if (memberId === current) {
        for (const { topic, partition } of ranges) {
          const assigned = assignments.get(topic) ?? { topic, partitions: [] };
          assigned.partitions.push(partition);
          assignments.set(topic, assigned);
        }
      }
      return { memberId, assignments };
    });
}

function platformaticOffsets(consumer: RawConsumer): OffsetLookup {
  const listed = async (topic: string, timestamp: bigint) =>
    (await consumer.listOffsets({ topics: [topic], timestamp })).get(topic) ?? [];
  const byPartition = (offsets: readonly bigint[]) =>
    new Map(offsets.map((offset, partition) => [partition, offset]));
  return {
    watermarks: async (topic) => {
      const [low, high] = await Promise.all([
        listed(topic, ListOffsetTimestamps.EARLIEST),
        listed(topic, ListOffsetTimestamps.LATEST),
      ]);
      return high.map((end, partition) => ({ partition, low: low[partition] ?? 0n, high: end }));
    },
    offsetsAt: async (topic, ms) => byPartition(await listed(topic, BigInt(ms))),
    committed: async (topic, partitions) =>
      byPartition(
        (await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [...partitions] }] })).get(
          topic,
        ) ?? [],
      ),
  };
}
