/**
 * Type tests of sends to defined topics and of handlers given typed values (checked by
 * `tsc -p tsconfig.test.json`, not run).
 */
import type { SchemaHandle, SchemaRegistryClient } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { defineTopic, SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import type { Consumer, Kafka } from 'kafkajs';

interface User {
  name: string;
  plan: 'FREE' | 'PRO';
}
interface UserInput {
  name: string;
  plan?: 'FREE' | 'PRO';
}
interface UserId {
  id: number;
}
declare const User: SchemaHandle<User, UserInput, 'example.User'>;
declare const UserId: SchemaHandle<UserId, UserId, 'example.UserId'>;
declare const kafka: Kafka;
declare const consumer: Consumer;
declare const registry: SchemaRegistryClient;

const usersTopic = defineTopic('users', { value: User, key: UserId });
const plainTopic = defineTopic('plain', { value: User });

/** A send to a defined topic takes its schemas' input types; one to a name, anything. */
export async function sends(): Promise<void> {
  const producer = new SchemaProducer(kafka, {
    value: new Serializer({ registry, formats: [], schema: User }),
  });
  await producer.send({
    topic: usersTopic,
    messages: [{ key: { id: 1 }, value: { name: 'ada', plan: 'PRO' } }],
  });
  await producer.send({ topic: usersTopic, messages: [{ key: { id: 1 }, value: null }] });
  await producer.send({ topic: plainTopic, messages: [{ key: 'any key', value: { name: 'ada' } }] });
  // @ts-expect-error a wrong field
  await producer.send({ topic: usersTopic, messages: [{ value: { name: 'ada', email: 'a@b' } }] });
  // @ts-expect-error a wrong enum symbol
  await producer.send({ topic: usersTopic, messages: [{ value: { name: 'ada', plan: 'GOLD' } }] });
  // @ts-expect-error a wrong key
  await producer.send({ topic: usersTopic, messages: [{ key: { id: '1' }, value: { name: 'ada' } }] });
  await producer.send({ topic: 'untyped', messages: [{ value: { anything: true } }] });
}

/** A handler gets the values of the deserializer's handles, narrowed on typeName. */
export async function handlers(): Promise<void> {
  const typed = new SchemaConsumer(consumer, {
    value: new Deserializer({ registry, formats: [], schemas: [User] }),
  });
  await typed.subscribe({ topics: [usersTopic, 'other'] });
  await typed.run({
    eachMessage: async ({ decoded }) => {
      if (decoded.typeName === 'example.User') {
        const plan: 'FREE' | 'PRO' = decoded.value.plan;
        // @ts-expect-error a User has no such field
        decoded.value.email;
        void plan;
      } else {
        // @ts-expect-error another schema's value is unknown
        decoded.value.name;
      }
    },
  });
  const untyped = new SchemaConsumer(consumer, { value: new Deserializer({ registry, formats: [] }) });
  await untyped.run({
    eachBatch: async ({ decodedMessages }) => {
      // @ts-expect-error without handles every value is unknown
      decodedMessages[0]?.decoded.value.name;
    },
  });
}
