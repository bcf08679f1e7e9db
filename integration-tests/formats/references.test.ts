import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SchemaRegistryClient } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { formatCases } from '../support/format-cases.js';
import { KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const ada = {
  name: 'Ada',
  billing: { street: '12 St James Square', city: 'London' },
  shipping: { street: '1 Ockham Park', city: 'Ockham' },
};

const harness = new KafkaHarness();

beforeAll(async () => {
  await harness.start();
});

afterAll(() => harness.close());

describe.each(formatCases)(
  'formats > $name > references > confluent references',
  ({ format, address, addressReference, customer }) => {
    const formats = [format];

    it.each([
      ['the Confluent-compatible API', () => harness.registry()],
      ["Apicurio's own API", () => harness.apicurioRegistry()],
    ] as const)(
      'a consumer resolves the Address a Customer references from %s',
      async (_api, consumerRegistry: () => SchemaRegistryClient) => {
        const topic = await harness.topic();
        const registry = harness.registry();
        const addressSubject = uniqueName('address');
        await registry.register(addressSubject, address);
        expect(await registry.listVersions(addressSubject)).toEqual([1]);
        const schema = customer(addressSubject);
        const registered = await registry.register(`${topic}-value`, schema);
        expect((await registry.getSchema({ kind: 'id', id: registered.id })).references).toEqual(
          schema.references,
        );

        // Without autoRegister the serializer looks the registered schema up, references included.
        const values = new Serializer({ registry, formats, schema, autoRegister: false });
        await (await harness.schemaProducer({ value: values })).send({ topic, messages: [{ value: ada }] });
        expect((await values.prepare(topic)).id).toBe(registered.id);

        // A deserializer with caches of its own: only the registry can tell it what an Address is.
        const deserializer = new Deserializer({ registry: consumerRegistry(), formats });
        const [payload] = await harness.read(topic, 1, { value: deserializer });
        expect(payload!.decoded).toMatchObject({ value: ada, schemaId: registered.id, carrier: 'prefix' });
        const dependencies = deserializer.resolver.peekById(registered.id)?.dependencies ?? [];
        expect(
          dependencies.map(({ name, schema }) => ({
            name,
            subject: schema.subject,
            version: schema.version,
          })),
        ).toEqual([{ name: addressReference, subject: addressSubject, version: 1 }]);
      },
    );
  },
);
