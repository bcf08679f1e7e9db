import { randomUUID } from 'node:crypto';
import { Admin, Consumer } from '@platformatic/kafka';
import type { Deserializer } from '@schemawire/core-client';
import { SchemalessSerializer } from '@schemawire/core-client';
import { SchemaConsumer, SchemaProducer } from '@schemawire/platformatic-kafka';
import type { Stack } from '@schemawire/testcontainers';
import type { WalkthroughClient } from './walkthrough-client.js';
import { Arrivals, received } from './walkthrough-client.js';

/**
 * The walkthrough on @platformatic/kafka: a SchemaProducer per message, and a SchemaConsumer for
 * each deserializer the topics need.
 */
export function platformaticClient(stack: Stack): WalkthroughClient {
  const bootstrapBrokers = [...stack.brokers];
  const clientId = 'schemawire-demo';
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
      const producer = new SchemaProducer({
        value: serializer,
        ...keys,
        producer: { clientId, bootstrapBrokers, autocreateTopics: false },
      });
      try {
        await producer.send({ messages: [key === undefined ? { topic, value } : { topic, key, value }] });
      } finally {
        await producer.close();
      }
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
          const consumer = new SchemaConsumer(
            new Consumer({
              clientId,
              groupId: `schemawire-demo-${randomUUID()}`,
              bootstrapBrokers,
              maxWaitTime: 500,
            }),
            { value: deserializer },
          );
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
  };
}
