import { randomUUID } from 'node:crypto';
import type { AnySchemaHandle, Deserializer, TypedValue } from '@schemawire/core-client';
import { SchemalessSerializer } from '@schemawire/core-client';
import type { SchemaProducerOptions, TopicDefinition } from '@schemawire/kafkajs';
import { consumerRetry, SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import type { Stack } from '@schemawire/testcontainers';
import { Kafka, logLevel } from 'kafkajs';
import type { WalkthroughClient } from './walkthrough-client.js';
import { Arrivals, received } from './walkthrough-client.js';

/**
 * The walkthrough on kafkajs: a SchemaProducer per message, one plain consumer decoding every value,
 * and a SchemaConsumer for a defined topic.
 */
export function kafkajsClient(stack: Stack): WalkthroughClient {
  const kafka = new Kafka({
    clientId: 'schemawire-demo',
    brokers: [...stack.brokers],
    logLevel: logLevel.NOTHING,
  });
  /** Sends through a SchemaProducer of `options`, connected for the one send. */
  const withProducer = async (
    options: SchemaProducerOptions,
    send: (producer: SchemaProducer) => Promise<unknown>,
  ) => {
    const producer = new SchemaProducer(kafka, options);
    await producer.connect();
    try {
      await send(producer);
    } finally {
      await producer.disconnect();
    }
  };
  const groupId = () => `schemawire-demo-${randomUUID()}`;
  return {
    async createTopics(topics) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({
          topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
          waitForLeaders: true,
        });
      } finally {
        await admin.disconnect();
      }
    },
    async send(topic, serializer, value, key) {
      const keys = key === undefined ? {} : { key: new SchemalessSerializer('string') };
      await withProducer({ value: serializer, ...keys }, (producer) =>
        producer.send({ topic, messages: [key === undefined ? { value } : { key, value }] }),
      );
    },
    async sendTyped(topic, serializer, value) {
      await withProducer({ value: serializer }, (producer) =>
        producer.send({ topic, messages: [{ value }] }),
      );
    },
    async readAll(topics, count, deserializerOf, timeoutMs) {
      const arrivals = new Arrivals(count);
      const consumer = kafka.consumer({ groupId: groupId(), maxWaitTimeInMs: 500, retry: consumerRetry });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [...topics], fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ topic, message }) => {
            // Every message of the walkthrough has a value; only a tombstone decodes to null.
            const decoded = (await deserializerOf(topic).deserialize(message))!;
            arrivals.push(received(topic, message.offset, message.key, decoded));
          },
        });
        return await arrivals.wait(timeoutMs);
      } finally {
        await consumer.disconnect();
      }
    },
    async readTyped<H extends AnySchemaHandle>(
      topic: TopicDefinition<H, undefined>,
      count: number,
      deserializer: Deserializer<H>,
      timeoutMs: number,
    ) {
      const consumer = SchemaConsumer.create(
        kafka,
        { groupId: groupId(), maxWaitTimeInMs: 500 },
        { value: deserializer },
      );
      const arrivals = new Arrivals<TypedValue<H>>(count);
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({ eachMessage: async ({ decoded }) => arrivals.push(decoded) });
        return await arrivals.wait(timeoutMs);
      } finally {
        await consumer.disconnect();
      }
    },
  };
}
