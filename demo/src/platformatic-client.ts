import { randomUUID } from 'node:crypto';
import { Admin, Consumer } from '@platformatic/kafka';
import type { AnySchemaHandle, Deserializer, TypedValue } from '@schemawire/core-client';
import { SchemalessSerializer } from '@schemawire/core-client';
import type { SchemaProducerOptions, TopicDefinition } from '@schemawire/platformatic-kafka';
import { SchemaConsumer, SchemaProducer } from '@schemawire/platformatic-kafka';
import type { Stack } from '@schemawire/testcontainers';
import type { WalkthroughClient } from './walkthrough-client.js';
import { Arrivals, received } from './walkthrough-client.js';

/**
 * The walkthrough on @platformatic/kafka: a SchemaProducer per message, and a SchemaConsumer for
 * each deserializer the topics need or for a defined topic.
 */
export function platformaticClient(stack: Stack): WalkthroughClient {
  const bootstrapBrokers = [...stack.brokers];
  const clientId = 'schemawire-demo';
  /** Sends through a SchemaProducer of `serializers`, made for the one send. */
  const withProducer = async (
    serializers: Omit<SchemaProducerOptions, 'producer'>,
    send: (producer: SchemaProducer) => Promise<unknown>,
  ) => {
    const producer = new SchemaProducer({
      ...serializers,
      producer: { clientId, bootstrapBrokers, autocreateTopics: false },
    });
    try {
      await send(producer);
    } finally {
      await producer.close();
    }
  };
  /** A @platformatic/kafka consumer in a group of its own, reading what is there. */
  const rawConsumer = () =>
    new Consumer({
      clientId,
      groupId: `schemawire-demo-${randomUUID()}`,
      bootstrapBrokers,
      maxWaitTime: 500,
    });
  return {
    async createTopics(topics) {
      const admin = new Admin({ clientId, bootstrapBrokers });
      try {
        await admin.createTopics({ topics: [...topics], partitions: 1, replicas: 1 });
      } finally {
        await admin.close();
      }
    },
    async send(topic, serializer, value, key) {
      const keys = key === undefined ? {} : { key: new SchemalessSerializer('string') };
      await withProducer({ value: serializer, ...keys }, (producer) =>
        producer.send({ messages: [key === undefined ? { topic, value } : { topic, key, value }] }),
      );
    },
    async sendTyped(topic, serializer, value) {
      await withProducer({ value: serializer }, (producer) =>
        producer.send({ messages: [{ topic, value }] }),
      );
    },
    async readAll(topics, count, deserializerOf, timeoutMs) {
      const arrivals = new Arrivals(count);
      const byDeserializer = new Map<Deserializer, string[]>();
      for (const topic of topics) {
        const deserializer = deserializerOf(topic);
        byDeserializer.set(deserializer, [...(byDeserializer.get(deserializer) ?? []), topic]);
      }
      const consumers: SchemaConsumer[] = [];
      try {
        for (const [deserializer, group] of byDeserializer) {
          const consumer = new SchemaConsumer(rawConsumer(), { value: deserializer });
          consumers.push(consumer);
          await consumer.consume({
            topics: group,
            mode: 'earliest',
            eachMessage: ({ topic, message, decoded }) => {
              arrivals.push(received(topic, String(message.offset), message.key ?? null, decoded));
            },
          });
        }
        return await arrivals.wait(timeoutMs);
      } finally {
        await Promise.allSettled(consumers.map((consumer) => consumer.close()));
      }
    },
    async readTyped<H extends AnySchemaHandle>(
      topic: TopicDefinition<H, undefined>,
      count: number,
      deserializer: Deserializer<H>,
      timeoutMs: number,
    ) {
      const arrivals = new Arrivals<TypedValue<H>>(count);
      const consumer = new SchemaConsumer(rawConsumer(), { value: deserializer });
      try {
        await consumer.consume({
          topics: [topic.name],
          mode: 'earliest',
          eachMessage: ({ decoded }) => arrivals.push(decoded),
        });
        return await arrivals.wait(timeoutMs);
      } finally {
        await consumer.close();
      }
    },
  };
}
