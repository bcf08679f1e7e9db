/**
 * Interop with the libraries users migrate from and talk to: protobufjs itself (bodies and Confluent
 * message indexes written by hand) and @confluentinc/schemaregistry, whose Protobuf serdes work with
 * @bufbuild/protobuf descriptors. Both sides talk to one registry over the Confluent REST API (the
 * embedded registry served on localhost), so ids and GUIDs are the registry's.
 */
import { randomUUID } from 'node:crypto';
import {
  HeaderSchemaIdSerializer,
  ProtobufDeserializer,
  ProtobufSerializer,
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
import { protobufFormat } from '@schemawire/serdes-protobuf';
import protobuf from 'protobufjs';
import type { Bufbuild, BufbuildRegistry } from './support/bufbuild.js';
import { bufbuildRegistry, loadBufbuild } from './support/bufbuild.js';
import { multiMessageDescriptor } from './support/descriptors.js';
import { multiMessageProto } from './support/proto-files.js';

const formats = [protobufFormat()];
const asText: Schema = { schemaType: 'PROTOBUF', schema: multiMessageProto };
// Confluent's deserializer parses the schema it fetches as a serialized descriptor: register that form.
const asDescriptor: Schema = { schemaType: 'PROTOBUF', schema: multiMessageDescriptor };
const hex = (bytes: Uint8Array | null | undefined) =>
  bytes == null ? bytes : Buffer.from(bytes).toString('hex');
const prefixHex = (id: number) => `00${id.toString(16).padStart(8, '0')}`;
// pkg.Outer.Inner { note: "n", kind: KIND_BIG }: field 1 length 1 "n", field 2 varint 1.
const innerBody = '0a016e1001';

let server: ConfluentRestServer;
let resolver: SchemaResolver;
let bufbuild: Bufbuild;
let descriptors: BufbuildRegistry;

beforeAll(async () => {
  server = await startConfluentRestServer(new EmbeddedRegistry({ formats }), { port: 0 });
  resolver = new SchemaResolver(new ConfluentRestClient({ baseUrl: server.url }));
  bufbuild = await loadBufbuild();
  descriptors = bufbuildRegistry(bufbuild, multiMessageDescriptor);
});

afterAll(async () => {
  await server.close();
});

const topicName = () => `orders-${randomUUID()}`;
const schemawireDeserializer = () => new Deserializer({ registry: resolver, formats });
const client = () => new SchemaRegistryClient({ baseURLs: [server.url] });
const innerMessage = () => bufbuild.create(descriptors.getMessage('pkg.Outer.Inner'), { note: 'n', kind: 1 });

describe('interop > protobufjs', () => {
  const userRoot = protobuf.parse(multiMessageProto, { keepCase: true }).root;
  const Inner = userRoot.lookupType('pkg.Outer.Inner');

  it('decodes protobufjs bytes framed by hand with the indexes of a nested message', async () => {
    const { id } = await resolver.register(`${topicName()}-value`, asText);
    const body = Inner.encode(Inner.create({ note: 'by hand', kind: 1 })).finish();
    const payload = Buffer.concat([Buffer.from(`${prefixHex(id)}040200`, 'hex'), body]);
    const decoded = await schemawireDeserializer().deserialize({ value: payload });
    expect(decoded).toMatchObject({ schemaId: id, value: { note: 'by hand', kind: 'KIND_BIG' } });
  });

  it('writes after the frame the body protobufjs writes', async () => {
    const serializer = new Serializer({
      registry: resolver,
      formats,
      schema: asText,
      messageName: 'pkg.Outer.Inner',
    });
    const { bytes } = await serializer.serialize(topicName(), { note: 'n', kind: 'KIND_BIG' });
    const expected = Inner.encode(Inner.fromObject({ note: 'n', kind: 'KIND_BIG' })).finish();
    expect(hex(bytes!.subarray(8))).toBe(hex(expected));
    expect(hex(bytes!.subarray(5, 8))).toBe('040200');
  });
});

describe('interop > @confluentinc/schemaregistry > protobuf', () => {
  it('is decoded by schemawire when it registers its descriptor and writes the prefix', async () => {
    const topic = topicName();
    const serializer = new ProtobufSerializer(client(), SerdeType.VALUE, {
      autoRegisterSchemas: true,
      registry: descriptors as never,
    });
    const bytes = await serializer.serialize(topic, innerMessage());
    const id = bytes.readUInt32BE(1);
    expect(hex(bytes)).toBe(`${prefixHex(id)}040200${innerBody}`);
    const decoded = await schemawireDeserializer().deserialize({ value: bytes });
    expect(decoded).toMatchObject({
      schemaId: id,
      carrier: 'prefix',
      value: { note: 'n', kind: 'KIND_BIG' },
    });
  });

  it('decodes what schemawire wrote with the prefix', async () => {
    const topic = topicName();
    const serializer = new Serializer({
      registry: resolver,
      formats,
      schema: asDescriptor,
      messageName: 'pkg.Outer.Inner',
    });
    const { bytes } = await serializer.serialize(topic, { note: 'n', kind: 'KIND_BIG' });
    const deserializer = new ProtobufDeserializer(client(), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(topic, bytes!)).toMatchObject({
      $typeName: 'pkg.Outer.Inner',
      note: 'n',
      kind: 1,
    });
  });

  it('decodes a top-level message with a 64-bit field schemawire wrote', async () => {
    const topic = topicName();
    const serializer = new Serializer({
      registry: resolver,
      formats,
      schema: asDescriptor,
      messageName: 'pkg.Outer',
    });
    const { bytes } = await serializer.serialize(topic, { inner: { note: 'x' }, count: '9007199254740993' });
    const deserializer = new ProtobufDeserializer(client(), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(topic, bytes!)).toMatchObject({
      $typeName: 'pkg.Outer',
      inner: { note: 'x' },
      count: 9007199254740993n,
    });
  });

  it('agrees on the bytes for the same schema id and message', async () => {
    const topic = topicName();
    const registered = await resolver.register(`${topic}-value`, asText);
    const ours = new Serializer({
      registry: resolver,
      formats,
      useSchemaId: registered.id,
      messageName: 'pkg.Outer.Inner',
    });
    const theirs = new ProtobufSerializer(client(), SerdeType.VALUE, {
      useSchemaId: registered.id,
      registry: descriptors as never,
    });
    const expected = await theirs.serialize(topic, innerMessage());
    expect(hex((await ours.serialize(topic, { note: 'n', kind: 'KIND_BIG' })).bytes)).toBe(hex(expected));
  });

  it('reads the GUID header schemawire writes, and schemawire reads the one it writes', async () => {
    const topic = topicName();
    const ours = new Serializer({
      registry: resolver,
      formats,
      schema: asDescriptor,
      messageName: 'pkg.Outer.Inner',
      carrier: 'confluent-header',
    });
    const written = await ours.serialize(topic, { note: 'n', kind: 'KIND_BIG' });
    expect(hex(written.headers?.['__value_schema_id']?.subarray(17))).toBe('040200');
    const deserializer = new ProtobufDeserializer(client(), SerdeType.VALUE, {});
    expect(await deserializer.deserialize(topic, written.bytes!, written.headers)).toMatchObject({
      $typeName: 'pkg.Outer.Inner',
      note: 'n',
    });

    const theirs = new ProtobufSerializer(client(), SerdeType.VALUE, {
      autoRegisterSchemas: true,
      registry: descriptors as never,
      schemaIdSerializer: HeaderSchemaIdSerializer,
    });
    const headers: Record<string, Buffer> = {};
    const body = await theirs.serialize(topic, innerMessage(), headers);
    const decoded = await schemawireDeserializer().deserialize({ value: body, headers });
    expect(decoded).toMatchObject({ carrier: 'confluent-header', value: { note: 'n', kind: 'KIND_BIG' } });
  });
});
