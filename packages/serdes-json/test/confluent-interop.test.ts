/**
 * Interop with @confluentinc/schemaregistry, the peer library users migrate from: JSON Schema bytes
 * schemawire writes decode in its JsonDeserializer, and its JsonSerializer's bytes decode in
 * schemawire. Both talk to the same registry over the Confluent REST API (the embedded registry
 * served on localhost), so ids are the registry's, not made up by the test.
 */
import { randomUUID } from 'node:crypto';
import {
  JsonDeserializer,
  JsonSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Schema } from '@schemawire/core-client';
import { Deserializer, SchemaResolver, Serializer } from '@schemawire/core-client';
import type { ConfluentRestServer } from '@schemawire/registry-adapter';
import {
  ConfluentRestClient,
  EmbeddedRegistry,
  startConfluentRestServer,
} from '@schemawire/registry-adapter';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { myJsonMessageText } from './support/resolved-schemas.js';

const formats = [jsonSchemaFormat({ validateOnDeserialize: true })];
const message: Schema = { schemaType: 'JSON', schema: myJsonMessageText };
const value = { id: 1, name: 'Ada', age: 36 };

let server: ConfluentRestServer;
let resolver: SchemaResolver;

beforeAll(async () => {
  server = await startConfluentRestServer(new EmbeddedRegistry({ formats }), { port: 0 });
  resolver = new SchemaResolver(new ConfluentRestClient({ baseUrl: server.url }));
});

afterAll(async () => {
  await server.close();
});

const topicName = () => `json-${randomUUID()}`;
const client = () => new SchemaRegistryClient({ baseURLs: [server.url] });
const schemawireSerializer = (schema: Schema = message) =>
  new Serializer({ registry: resolver, formats, schema });
const schemawireDeserializer = () => new Deserializer({ registry: resolver, formats });

describe('interop > @confluentinc/schemaregistry > json schema', () => {
  it('decodes what schemawire wrote, validating it', async () => {
    const topic = topicName();
    const { bytes } = await schemawireSerializer().serialize(topic, value);
    const peer = new JsonDeserializer(client(), SerdeType.VALUE, { validate: true });

    expect(await peer.deserialize(topic, bytes!)).toEqual(value);
  });

  it('is decoded by schemawire, with the id the registry gave', async () => {
    const topic = topicName();
    // The peer derives a schema from the value's shape unless given an id: register ours.
    const registered = await resolver.register(`${topic}-value`, message);
    const peer = new JsonSerializer(client(), SerdeType.VALUE, {
      useSchemaId: registered.id,
      validate: true,
    });

    const bytes = await peer.serialize(topic, value);
    const decoded = await schemawireDeserializer().deserialize({ value: bytes });

    expect(decoded).toMatchObject({ schemaId: registered.id, schemaType: 'JSON', carrier: 'prefix', value });
  });

  it('agrees on the bytes for the same schema id', async () => {
    const topic = topicName();
    const ours = (await schemawireSerializer().serialize(topic, value)).bytes!;
    const peer = new JsonSerializer(client(), SerdeType.VALUE, { useSchemaId: ours.readUInt32BE(1) });

    expect((await peer.serialize(topic, value)).toString('hex')).toBe(ours.toString('hex'));
  });

  it('reads and writes a 2020-12 schema with a $ref to another subject on both sides', async () => {
    const topic = topicName();
    const addressSubject = `address-${randomUUID()}`;
    const name = 'https://example.com/address.json';
    await resolver.register(addressSubject, {
      schemaType: 'JSON',
      schema: JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      }),
    });
    const person: Schema = {
      schemaType: 'JSON',
      schema: JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Person',
        type: 'object',
        properties: { name: { type: 'string' }, home: { $ref: name } },
      }),
      references: [{ name, subject: addressSubject, version: 1 }],
    };
    const person1 = { name: 'Ada', home: { city: 'London' } };

    const ours = (await schemawireSerializer(person).serialize(topic, person1)).bytes!;
    const peerDeserializer = new JsonDeserializer(client(), SerdeType.VALUE, { validate: true });
    expect(await peerDeserializer.deserialize(topic, ours)).toEqual(person1);

    const peerSerializer = new JsonSerializer(client(), SerdeType.VALUE, {
      useSchemaId: ours.readUInt32BE(1),
      validate: true,
    });
    await expect(peerSerializer.serialize(topic, { home: {} })).rejects.toThrow(/city/);
    const theirs = await peerSerializer.serialize(topic, person1);
    expect((await schemawireDeserializer().deserialize({ value: theirs }))?.value).toEqual(person1);
  });
});
