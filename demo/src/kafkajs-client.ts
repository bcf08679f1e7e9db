import { randomUUID } from 'node:crypto';
import { SchemalessSerializer } from '@schemawire/core-client';
import { SchemaProducer } from '@schemawire/kafkajs';
import type { Stack } from '@schemawire/testcontainers';
import { Kafka, logLevel } from 'kafkajs';
import type { WalkthroughClient } from './walkthrough-client.js';
import { Arrivals, received } from './walkthrough-client.js';

/** The walkthrough on kafkajs: a SchemaProducer per message, one plain consumer decoding every value. */
export function kafkajsClient(stack: Stack): WalkthroughClient {
  const kafka = new Kafka({
    clientId: 'schemawire-demo',
    brokers: [...stack.brokers],
    logLevel: logLevel.NOTHING,
  });
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
      const producer = new SchemaProducer(kafka, { value: serializer, ...keys });
      await producer.connect();
      try {
        await producer.send({ topic, messages: [key === undefined ? { value } : { key, value }] });
      } finally {
        await producer.disconnect();
      }
    },
    async readAll(topics, count, deserializerOf, timeoutMs) {
      const arrivals = new Arrivals(count);
      const consumer = kafka.consumer({ groupId: `schemawire-demo-${randomUUID()}`, maxWaitTimeInMs: 500 });
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
  };
}
