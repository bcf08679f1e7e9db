/**
 * Interop with the peer libraries users migrate from: bytes schemawire writes decode in
 * @kafkajs/confluent-schema-registry and @confluentinc/schemaregistry, and theirs decode in schemawire.
 * All three talk to the same registry over the Confluent REST API (the embedded registry served on
 * localhost), so ids and GUIDs are the registry's, not made up by the test.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AvroDeserializer,
  AvroSerializer,
  HeaderSchemaIdSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Deserializer, SchemaResolver, Serializer } from '@schemawire/core-client';
import type { ConfluentRestServer } from '@schemawire/registry-adapter';
import {
  ConfluentRestClient,
  EmbeddedRegistry,
  startConfluentRestServer,
} from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';

const userSchema = readFileSync(new URL('../../../schemas/user.avsc', import.meta.url), 'utf8');
const user = { first_name: 'John', last_name: 'Doe', age: 30 };
const formats = [avroFormat()];

let server: ConfluentRestServer;
let resolver: SchemaResolver;

beforeAll(async () => {
  server = await startConfluentRestServer(new EmbeddedRegistry({ formats }), { port: 0 });
  resolver = new SchemaResolver(new ConfluentRestClient({ baseUrl: server.url }));
});

afterAll(async () => {
  await server.close();
});

const topicName = () => `users-${randomUUID()}`;
const schemawireSerializer = (carrier: 'prefix' | 'confluent-header' = 'prefix') =>
  new Serializer({
    registry: resolver,
    formats,
    schema: { schemaType: 'AVRO', schema: userSchema },
    carrier,
  });
const schemawireDeserializer = () => new Deserializer({ registry: resolver, formats });

describe('interop > @kafkajs/confluent-schema-registry > avro prefix', () => {
  const peer = () => new SchemaRegistry({ host: server.url });

  it('decodes what schemawire wrote', async () => {
    const topic = topicName();
    const { bytes } = await schemawireSerializer().serialize(topic, user);
    expect(await peer().decode(bytes!)).toEqual(user);
  });

  it('is decoded by schemawire, with the id the registry gave the peer', async () => {
    const topic = topicName();
    const registry = peer();
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: userSchema },
      { subject: `${topic}-value` },
    );
    const bytes = await registry.encode(id, user);
    const decoded = await schemawireDeserializer().deserialize({ value: bytes });
    expect(decoded).toMatchObject({ schemaId: id, schemaType: 'AVRO', carrier: 'prefix', value: user });
  });

  it('agrees on the bytes for the same schema id', async () => {
    const topic = topicName();
    const ours = (await schemawireSerializer().serialize(topic, user)).bytes!;
    const theirs = await peer().encode(ours.readUInt32BE(1), user);
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });
});

describe('interop > @confluentinc/schemaregistry > avro', () => {
  const client = () => new SchemaRegistryClient({ baseURLs: [server.url] });

  it('decodes what schemawire wrote with the prefix', async () => {
    const topic = topicName();
    const { bytes } = await schemawireSerializer().serialize(topic, user);
    const deserializer = new AvroDeserializer(client(), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(topic, bytes!)).toEqual(user);
  });

  it('is decoded by schemawire when it writes the prefix', async () => {
    const topic = topicName();
    // The peer registers a schema it derives from the value's shape unless given an id: register ours.
    const registered = await resolver.register(`${topic}-value`, { schemaType: 'AVRO', schema: userSchema });
    const peerWithSchema = new AvroSerializer(client(), SerdeType.VALUE, { useSchemaId: registered.id });
    const bytes = await peerWithSchema.serialize(topic, user);
    const decoded = await schemawireDeserializer().deserialize({ value: bytes });
    expect(decoded).toMatchObject({ schemaId: registered.id, carrier: 'prefix', value: user });
  });

  it('reads the GUID header schemawire writes, and schemawire reads the one it writes', async () => {
    const topic = topicName();
    const ours = await schemawireSerializer('confluent-header').serialize(topic, user);
    expect(ours.headers?.['__value_schema_id']?.[0]).toBe(0x01);
    const deserializer = new AvroDeserializer(client(), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(topic, ours.bytes!, ours.headers)).toEqual(user);

    const registered = await resolver.register(`${topic}-value`, { schemaType: 'AVRO', schema: userSchema });
    const peer = new AvroSerializer(client(), SerdeType.VALUE, {
      useSchemaId: registered.id,
      schemaIdSerializer: HeaderSchemaIdSerializer,
    });
    const headers: Record<string, Buffer> = {};
    const body = await peer.serialize(topic, user, headers);
    const decoded = await schemawireDeserializer().deserialize({ value: body, headers });
    expect(decoded).toMatchObject({ schemaId: registered.id, carrier: 'confluent-header', value: user });
  });
});
