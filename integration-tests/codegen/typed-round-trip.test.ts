import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { Decoded } from '@schemawire/kafkajs';
import { defineTopic, SchemaConsumer } from '@schemawire/kafkajs';
import { defineTopic as definePlatformaticTopic } from '@schemawire/platformatic-kafka';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';
// The codegen of schemas/ the demo checks in (packages/cli/test/commands/codegen.test.ts keeps it current).
import { MyJsonMessage } from '../../demo/src/generated/my_json_message.js';
import { MyMessage } from '../../demo/src/generated/my_message.js';
import { User } from '../../demo/src/generated/user.js';
import { PlatformaticHarness } from '../platformatic-kafka/platformatic-harness.js';
import { Arrivals, avroRecord, KafkaHarness } from '../support/kafka-harness.js';

const formats = [avroFormat(), protobufFormat(), jsonSchemaFormat()];
const harness = new KafkaHarness();

beforeAll(async () => {
  await harness.start();
});

afterAll(() => harness.close());

describe('codegen > typed round trip', () => {
  it('sends Avro, Protobuf and JSON Schema values to defined topics and reads them back typed', async () => {
    const [users, messages, jsonMessages, others] = await harness.topics(4);
    const usersTopic = defineTopic(users!, { value: User });
    const messagesTopic = defineTopic(messages!, { value: MyMessage });
    const jsonTopic = defineTopic(jsonMessages!, { value: MyJsonMessage });
    const registry = harness.registry();
    const producer = await harness.schemaProducer({
      value: new Serializer({ registry, formats, schema: User }),
    });
    await producer.send({
      topic: usersTopic,
      messages: [{ value: { first_name: 'Ada', last_name: 'Lovelace', age: 36 } }],
    });
    await producer.send({ topic: messagesTopic, messages: [{ value: { id: 7, name: 'seven' } }] });
    await producer.send({ topic: jsonTopic, messages: [{ value: { id: 9007199254740993n, name: 'big' } }] });
    // A schema none of the handles has: it comes back untyped.
    const other = avroRecord('Other', [{ name: 'note', type: 'string' }]);
    const otherValue = await new Serializer({ registry, formats, schema: other }).serialize(others!, {
      note: 'x',
    });
    const raw = await harness.producer();
    await raw.send({ topic: others!, messages: [{ value: otherValue.bytes }] });

    const arrivals = new Arrivals<Decoded<typeof User | typeof MyMessage | typeof MyJsonMessage>>();
    const consumer = new SchemaConsumer(harness.consumer(), {
      value: new Deserializer({ registry, formats, schemas: [User, MyMessage, MyJsonMessage] }),
      onFailure: (error) => arrivals.fail(error),
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: [usersTopic, messagesTopic, jsonTopic, others!],
      fromBeginning: true,
    });
    await consumer.run({ eachMessage: async ({ decoded }) => arrivals.push(decoded) });
    const decoded = await arrivals.waitFor(4);
    await consumer.disconnect();

    const seen: Record<string, unknown> = {};
    for (const message of decoded) {
      switch (message.typeName) {
        case 'io.schemawire.example.User':
          seen['user'] = `${message.value.first_name} ${message.value.last_name}, ${message.value.age}`;
          break;
        case 'io.schemawire.example.MyMessage':
          seen['message'] = [message.value.id, message.value.name, message.value.age];
          break;
        case 'MyJsonMessage':
          seen['json'] = [message.value.id, message.value.name];
          break;
        case undefined:
          seen['other'] = message.value;
          break;
      }
    }
    expect(seen).toEqual({
      user: 'Ada Lovelace, 36',
      // Protobuf decodes every field, those left out at their defaults.
      message: [7, 'seven', 0],
      json: [9007199254740993n, 'big'],
      other: { note: 'x' },
    });
  });

  it('sends to a defined topic through @platformatic/kafka and reads the values back typed', async () => {
    const [topic] = await harness.topics(1);
    const usersTopic = definePlatformaticTopic(topic!, { value: User });
    const registry = harness.registry();
    const platformatic = new PlatformaticHarness();
    try {
      // The producer's own serializer writes another schema: the topic's handle decides what is written.
      const producer = platformatic.schemaProducer({
        value: new Serializer({ registry, formats, schema: MyJsonMessage }),
      });
      await producer.send({
        messages: [{ topic: usersTopic, value: { first_name: 'Grace', last_name: 'Hopper', age: 85 } }],
      });
      const { arrivals } = await platformatic.consume(topic!, {
        value: new Deserializer({ registry, formats, schemas: [User] }),
      });
      const { decoded } = (await arrivals.waitFor(1))[0]!;
      expect(decoded.typeName).toBe('io.schemawire.example.User');
      if (decoded.typeName === 'io.schemawire.example.User') {
        expect(`${decoded.value.first_name} ${decoded.value.last_name}`).toBe('Grace Hopper');
      }
    } finally {
      await platformatic.close();
    }
  });
});
