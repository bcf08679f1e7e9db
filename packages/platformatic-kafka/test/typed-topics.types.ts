/**
 * Type tests of sends to defined topics and of handlers given typed values (checked by
 * `tsc -p tsconfig.test.json`, not run).
 */
import type { Consumer } from '@platformatic/kafka';
import type { SchemaHandle, SchemaRegistryClient } from '@schemawire/core-client';
import { Deserializer } from '@schemawire/core-client';
import type { SchemaProducer } from '@schemawire/platformatic-kafka';
import { defineTopic, SchemaConsumer } from '@schemawire/platformatic-kafka';

interface User {
  name: string;
  plan: 'FREE' | 'PRO';
}
declare const User: SchemaHandle<User, User, 'example.User'>;
declare const producer: SchemaProducer;
declare const consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
declare const registry: SchemaRegistryClient;

const usersTopic = defineTopic('users', { value: User });

/** A message to a defined topic takes its schema's input type; one to a name, anything. */
export async function sends(): Promise<void> {
  await producer.send({ messages: [{ topic: usersTopic, value: { name: 'ada', plan: 'PRO' } }] });
  // @ts-expect-error a wrong field
  await producer.send({ messages: [{ topic: usersTopic, value: { name: 'ada', plan: 'PRO', email: 'x' } }] });
  // @ts-expect-error a wrong enum symbol
  await producer.send({ messages: [{ topic: usersTopic, value: { name: 'ada', plan: 'GOLD' } }] });
  await producer.send({ messages: [{ topic: 'untyped', value: { anything: true } }] });
}

/** A handler gets the values of the deserializer's handles, narrowed on typeName. */
export async function handlers(): Promise<void> {
  const typed = new SchemaConsumer(consumer, {
    value: new Deserializer({ registry, formats: [], schemas: [User] }),
  });
  await typed.consume({
    topics: ['users'],
    eachMessage: ({ decoded }) => {
      if (decoded.typeName === 'example.User') {
        const plan: 'FREE' | 'PRO' = decoded.value.plan;
        void plan;
      } else {
        // @ts-expect-error another schema's value is unknown
        decoded.value.name;
      }
    },
  });
}
