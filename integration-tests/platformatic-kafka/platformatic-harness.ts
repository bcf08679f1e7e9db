import { Consumer, Producer } from '@platformatic/kafka';
import type { AnySchemaHandle } from '@schemawire/core-client';
import type {
  SchemaConsumerOptions,
  SchemaMessagePayload,
  SchemaProducerOptions,
} from '@schemawire/platformatic-kafka';
import { SchemaConsumer, SchemaProducer } from '@schemawire/platformatic-kafka';
import { Arrivals, testServices, uniqueName } from '../support/kafka-harness.js';

/** @platformatic/kafka clients of one suite against the test stack, closed together by {@link close}. */
export class PlatformaticHarness {
  readonly brokers: string[] = testServices().brokers;
  readonly #closers: (() => Promise<void>)[] = [];

  /** A plain producer, for dead letters; closed by {@link close}. */
  producer(): Producer<Buffer, Buffer, Buffer, Buffer> {
    const producer = new Producer({ clientId: uniqueName('pk-producer'), bootstrapBrokers: this.brokers });
    this.#closers.push(() => producer.close());
    return producer;
  }

  /** A {@link SchemaProducer}; closed by {@link close}. */
  schemaProducer(options: Omit<SchemaProducerOptions, 'producer'>): SchemaProducer {
    const producer = new SchemaProducer({
      ...options,
      producer: {
        clientId: uniqueName('pk-schema-producer'),
        bootstrapBrokers: this.brokers,
        autocreateTopics: false,
      },
    });
    this.#closers.push(() => producer.close());
    return producer;
  }

  /** A {@link SchemaConsumer} of group `groupId` (a new one by default); closed by {@link close}. */
  schemaConsumer<H extends AnySchemaHandle = never>(
    options: SchemaConsumerOptions<H>,
    groupId = uniqueName('group'),
  ): SchemaConsumer<H> {
    const consumer = new SchemaConsumer<H>(
      new Consumer({
        clientId: uniqueName('pk-consumer'),
        groupId,
        bootstrapBrokers: this.brokers,
        maxWaitTime: 100,
        // A member that did not leave (a test that failed half way) holds its partitions this long.
        sessionTimeout: 10_000,
        rebalanceTimeout: 10_000,
        heartbeatInterval: 1_000,
      }),
      options,
    );
    this.#closers.push(() => consumer.close());
    return consumer;
  }

  /**
   * Reads `topic` from its group's committed offsets (its beginning for a new group) through a
   * {@link SchemaConsumer}, handing each decoded message to the returned arrivals; `consumer.stop()`
   * ends it.
   */
  async consume<H extends AnySchemaHandle = never>(
    topic: string,
    options: SchemaConsumerOptions<H>,
    groupId?: string,
  ): Promise<{ consumer: SchemaConsumer<H>; arrivals: Arrivals<SchemaMessagePayload<H>> }> {
    const arrivals = new Arrivals<SchemaMessagePayload<H>>();
    const consumer = this.schemaConsumer(
      {
        ...options,
        // A message that stops the partition fails the read at once, with its error, not by a timeout.
        onFailure: (error, message) => {
          options.onFailure?.(error, message);
          arrivals.fail(error);
        },
      },
      groupId,
    );
    await consumer.consume({
      topics: [topic],
      mode: 'committed',
      fallbackMode: 'earliest',
      eachMessage: (payload) => arrivals.push(payload),
    });
    return { consumer, arrivals };
  }

  /** Closes every client. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#closers.map((close) => close()));
  }
}
