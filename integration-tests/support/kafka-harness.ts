import { randomUUID } from 'node:crypto';
import type { Schema, SchemaRegistryClient } from '@schemawire/core-client';
import type {
  SchemaConsumerLogger,
  SchemaConsumerOptions,
  SchemaEachMessagePayload,
  SchemaProducerOptions,
} from '@schemawire/kafkajs';
import { SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import type { Admin, Consumer, ConsumerConfig, KafkaMessage, Producer } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

/** The services the integration global setup started. */
export interface TestServices {
  readonly brokers: string[];
  /** Apicurio's Confluent-compatible API. */
  readonly registryUrl: string;
  /** Apicurio's own v3 API. */
  readonly apicurioUrl: string;
}

/** The services from the environment; a suite run without them fails here rather than skip. */
export function testServices(): TestServices {
  const brokers = process.env['SCHEMAWIRE_TEST_BROKERS'];
  const registryUrl = process.env['SCHEMAWIRE_TEST_REGISTRY_URL'];
  const apicurioUrl = process.env['SCHEMAWIRE_TEST_APICURIO_URL'];
  if (!brokers || !registryUrl || !apicurioUrl) {
    throw new Error(
      'SCHEMAWIRE_TEST_BROKERS, SCHEMAWIRE_TEST_REGISTRY_URL and SCHEMAWIRE_TEST_APICURIO_URL must be set (by the integration global setup)',
    );
  }
  return { brokers: brokers.split(','), registryUrl, apicurioUrl };
}

/** A name no other test or run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Kafka clients of one suite, closed together by {@link KafkaHarness.close}. */
export class KafkaHarness {
  readonly services: TestServices = testServices();
  readonly kafka: Kafka = new Kafka({
    clientId: uniqueName('schemawire-it'),
    brokers: this.services.brokers,
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
  });
  readonly admin: Admin = this.kafka.admin();
  readonly #closers: (() => Promise<void>)[] = [];

  /** Connects the admin client. */
  async start(): Promise<void> {
    await this.admin.connect();
  }

  /** A registry client of the real registry. */
  registry(): ConfluentRestClient {
    return new ConfluentRestClient({ baseUrl: this.services.registryUrl });
  }

  /** A client of the same registry through Apicurio's own API, which also knows globalIds. */
  apicurioRegistry(): ApicurioRestClient {
    return new ApicurioRestClient({ baseUrl: this.services.apicurioUrl });
  }

  /** Creates topics with random names, waiting until they have leaders. */
  async topics(count: number, partitions = 1): Promise<string[]> {
    const topics = Array.from({ length: count }, () => uniqueName('topic'));
    await this.admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
    return topics;
  }

  /** Creates one topic with a random name, waiting until it has a leader. */
  async topic(): Promise<string> {
    const [topic] = await this.topics(1);
    return topic!;
  }

  /** A connected producer, disconnected by {@link close}. */
  async producer(): Promise<Producer> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    this.#closers.push(() => producer.disconnect());
    return producer;
  }

  /** A connected {@link SchemaProducer}, disconnected by {@link close}. */
  async schemaProducer(options: SchemaProducerOptions): Promise<SchemaProducer> {
    const producer = new SchemaProducer(this.kafka, {
      ...options,
      producer: { allowAutoTopicCreation: false, ...options.producer },
    });
    this.#closers.push(() => producer.disconnect());
    await producer.connect();
    return producer;
  }

  /** A consumer of a new group (or `groupId`), disconnected by {@link close}; connect it yourself. */
  consumer(config: Partial<ConsumerConfig> = {}): Consumer {
    const consumer = this.kafka.consumer({ groupId: uniqueName('group'), maxWaitTimeInMs: 100, ...config });
    this.#closers.push(() => consumer.disconnect());
    return consumer;
  }

  /**
   * Reads the first `count` messages of `topic` through a {@link SchemaConsumer} of a new group, then
   * disconnects it.
   */
  async read(
    topic: string,
    count: number,
    options: SchemaConsumerOptions,
  ): Promise<SchemaEachMessagePayload[]> {
    const arrivals = new Arrivals<SchemaEachMessagePayload>();
    const consumer = new SchemaConsumer(this.consumer(), {
      ...options,
      // A message that stops the partition fails the read at once, with its error, not by a timeout.
      onFailure: (error, message) => {
        options.onFailure?.(error, message);
        arrivals.fail(error);
      },
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async (payload) => arrivals.push(payload) });
    try {
      return await arrivals.waitFor(count);
    } finally {
      await consumer.disconnect();
    }
  }

  /** Reads the first `count` messages of `topic` as they are, through a plain kafkajs consumer of a new group. */
  async readRaw(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = this.consumer();
    const arrivals = new Arrivals<KafkaMessage>();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => arrivals.push(message) });
    try {
      return await arrivals.waitFor(count);
    } finally {
      await consumer.disconnect();
    }
  }

  /** The offsets group `groupId` committed on `topic`, by partition ('-1' where none). */
  async committed(groupId: string, topic: string): Promise<string[]> {
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const partitions = [...(offsets?.partitions ?? [])].sort((a, b) => a.partition - b.partition);
    return partitions.map((partition) => partition.offset);
  }

  /** The high watermark of each partition of `topic`: how many messages were ever written to it. */
  async written(topic: string): Promise<string[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((partition) => partition.high);
  }

  /** Disconnects every client, admin last. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#closers.map((close) => close()));
    await this.admin.disconnect();
  }
}

/** Things that arrive in a handler, and a way to wait until enough of them did. */
export class Arrivals<T> {
  readonly items: T[] = [];
  #waiting: { count: number; resolve: () => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;

  /** Records one arrival. */
  push(item: T): void {
    this.items.push(item);
    if (this.#waiting !== undefined && this.items.length >= this.#waiting.count) this.#waiting.resolve();
  }

  /** Records that no more will arrive: waiting fails with `error`. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#waiting?.reject(error);
  }

  /** Resolves once `count` arrived; fails the test if they do not within `timeoutMs`, or on a failure. */
  async waitFor(count: number, timeoutMs = 20_000): Promise<T[]> {
    if (this.items.length >= count) return this.items;
    if (this.#failure !== undefined) throw this.#failure;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#waiting = { count, resolve, reject };
        timer = setTimeout(
          () =>
            reject(
              new Error(`${this.items.length} of ${count} expected arrivals came within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      this.#waiting = undefined;
    }
    return this.items;
  }
}

/** A registry client that counts the schema registrations it passes on to the real registry. */
export class CountingRegistry implements SchemaRegistryClient {
  registrations = 0;
  readonly #registry: SchemaRegistryClient;

  constructor(registry: SchemaRegistryClient) {
    this.#registry = registry;
  }

  register(...args: Parameters<SchemaRegistryClient['register']>) {
    this.registrations++;
    return this.#registry.register(...args);
  }
  lookup(...args: Parameters<SchemaRegistryClient['lookup']>) {
    return this.#registry.lookup(...args);
  }
  getSchema(...args: Parameters<SchemaRegistryClient['getSchema']>) {
    return this.#registry.getSchema(...args);
  }
  getVersion(...args: Parameters<SchemaRegistryClient['getVersion']>) {
    return this.#registry.getVersion(...args);
  }
  listVersions(...args: Parameters<SchemaRegistryClient['listVersions']>) {
    return this.#registry.listVersions(...args);
  }
  listSubjects(...args: Parameters<SchemaRegistryClient['listSubjects']>) {
    return this.#registry.listSubjects(...args);
  }
  getSubjectVersionsOfId(...args: Parameters<SchemaRegistryClient['getSubjectVersionsOfId']>) {
    return this.#registry.getSubjectVersionsOfId(...args);
  }
  testCompatibility(...args: Parameters<SchemaRegistryClient['testCompatibility']>) {
    return this.#registry.testCompatibility(...args);
  }
  getCompatibility(...args: Parameters<SchemaRegistryClient['getCompatibility']>) {
    return this.#registry.getCompatibility(...args);
  }
  setCompatibility(...args: Parameters<SchemaRegistryClient['setCompatibility']>) {
    return this.#registry.setCompatibility(...args);
  }
  deleteSubject(...args: Parameters<SchemaRegistryClient['deleteSubject']>) {
    return this.#registry.deleteSubject(...args);
  }
  deleteVersion(...args: Parameters<SchemaRegistryClient['deleteVersion']>) {
    return this.#registry.deleteVersion(...args);
  }
}

/** An Avro record schema in namespace `com.example`. */
export function avroRecord(name: string, fields: readonly { name: string; type: unknown }[]): Schema {
  return {
    schemaType: 'AVRO',
    schema: JSON.stringify({ type: 'record', name, namespace: 'com.example', fields }),
  };
}

/** One line a {@link SchemaConsumer} logged. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

/** A logger that keeps what it is given. */
export function recordingLogger(lines: LogLine[]): SchemaConsumerLogger {
  const log = (level: LogLine['level']) => (message: string, extra?: object) =>
    lines.push({ level, message, extra: { ...extra } });
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
