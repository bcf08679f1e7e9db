import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { SchemaIdCarrier } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Producer } from 'kafkajs';
import { exampleSchema } from '../support/example-schemas.js';
import { KafkaHarness } from '../support/kafka-harness.js';

// The seed's user record under a name of this run's own: Apicurio shares content (and ids) between
// subjects, and other suites register user.avsc under subjects with other compatibility settings.
const seedUser = exampleSchema('user.avsc');
const user = {
  ...seedUser,
  schema: JSON.stringify({
    ...JSON.parse(seedUser.schema),
    name: `User_${randomUUID().replaceAll('-', '')}`,
  }),
};
const ada = { first_name: 'Ada', last_name: 'Lovelace', age: 36 };
const alan = { first_name: 'Alan', last_name: 'Turing', age: 41 };
const formats = [avroFormat()];

const harness = new KafkaHarness();
// Both peers speak the Confluent API: here Apicurio's Confluent-compatible one.
const kafkajsRegistry = new SchemaRegistry({ host: harness.services.registryUrl });
// Now and then Apicurio, behind Docker's port proxy, leaves a request on a kept-alive connection
// unanswered (seen on the peer's association lookup). The peer's HTTP client waits for ever by default,
// and its axios-retry does not retry a timed-out request (the retry gets what is left of the same
// timeout: nothing). So each request goes on a connection of its own, and the timeout only bounds it.
const confluentClient = new SchemaRegistryClient({
  baseURLs: [harness.services.registryUrl],
  createAxiosDefaults: { timeout: 15_000, httpAgent: new HttpAgent({ keepAlive: false }) },
});
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(async () => {
  await confluentClient.close();
  await harness.close();
});

function deserializer(): Deserializer {
  return new Deserializer({ registry: harness.registry(), formats });
}

describe('interop > peers > into schemawire', () => {
  it('@kafkajs/confluent-schema-registry: what its SchemaRegistry encodes, a SchemaConsumer decodes', async () => {
    const topic = await harness.topic();
    const { id } = await kafkajsRegistry.register(
      { type: SchemaType.AVRO, schema: user.schema },
      { subject: `${topic}-value` },
    );
    await producer.send({
      topic,
      messages: [
        { value: await kafkajsRegistry.encode(id, ada) },
        { value: await kafkajsRegistry.encode(id, alan) },
      ],
    });

    const read = await harness.read(topic, 2, { value: deserializer() });
    expect(read.map(({ decoded: { value, schemaId, carrier } }) => ({ value, schemaId, carrier }))).toEqual([
      { value: ada, schemaId: id, carrier: 'prefix' },
      { value: alan, schemaId: id, carrier: 'prefix' },
    ]);
  });

  it('@confluentinc/schemaregistry: what its AvroSerializer writes with useSchemaId, a SchemaConsumer decodes', async () => {
    const topic = await harness.topic();
    const id = await confluentClient.register(`${topic}-value`, { schemaType: 'AVRO', schema: user.schema });
    const serializer = new AvroSerializer(confluentClient, SerdeType.VALUE, { useSchemaId: id });
    await producer.send({ topic, messages: [{ value: await serializer.serialize(topic, ada) }] });

    const [payload] = await harness.read(topic, 1, { value: deserializer() });
    expect(payload!.decoded).toMatchObject({ value: ada, schemaId: id, carrier: 'prefix' });
  });

  it('@confluentinc/schemaregistry: with autoRegisterSchemas it registers a schema inferred from the value, which a SchemaConsumer fetches', async () => {
    const topic = await harness.topic();
    const serializer = new AvroSerializer(confluentClient, SerdeType.VALUE, { autoRegisterSchemas: true });
    await producer.send({ topic, messages: [{ value: await serializer.serialize(topic, alan) }] });
    const registered = await harness.registry().getVersion(`${topic}-value`, 'latest');

    const [payload] = await harness.read(topic, 1, { value: deserializer() });
    expect(payload!.decoded).toMatchObject({ value: alan, schemaId: registered.id, carrier: 'prefix' });
  });
});

describe('interop > peers > out of schemawire', () => {
  /** Sends `ada` and `alan` through a SchemaProducer and reads them back as plain kafkajs messages. */
  async function produced(carrier: SchemaIdCarrier) {
    const topic = await harness.topic();
    const values = new Serializer({ registry: harness.registry(), formats, schema: user, carrier });
    await (await harness.schemaProducer({ value: values })).send({
      topic,
      messages: [{ value: ada }, { value: alan }],
    });
    return { topic, messages: await harness.readRaw(topic, 2) };
  }

  it('what a SchemaProducer writes with the prefix carrier, both peers decode', async () => {
    const { topic, messages } = await produced('prefix');
    const confluent = new AvroDeserializer(confluentClient, SerdeType.VALUE, {});
    const kafkajs = await Promise.all(messages.map(({ value }) => kafkajsRegistry.decode(value!)));
    const confluentValues = await Promise.all(
      messages.map(({ value, headers }) => confluent.deserialize(topic, value!, headers)),
    );
    expect(kafkajs).toEqual([ada, alan]);
    expect(confluentValues).toEqual([ada, alan]);
  });

  it("what a SchemaProducer writes with the confluent-header carrier, Confluent's deserializer decodes", async () => {
    const { topic, messages } = await produced('confluent-header');
    // The body is bare, so the header is the only place the deserializer can find the id.
    expect(messages.map(({ headers }) => Object.keys(headers ?? {}))).toEqual([
      ['__value_schema_id'],
      ['__value_schema_id'],
    ]);
    const confluent = new AvroDeserializer(confluentClient, SerdeType.VALUE, {});
    const values = await Promise.all(
      messages.map(({ value, headers }) => confluent.deserialize(topic, value!, headers)),
    );
    expect(values).toEqual([ada, alan]);
  });
});
