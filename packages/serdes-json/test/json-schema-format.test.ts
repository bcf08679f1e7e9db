import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Schema, SchemaFormat } from '@schemawire/core-client';
import { Deserializer, ErrorCode, isSchemaWireError, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import fc from 'fast-check';
import { asyncFailure } from './support/failures.js';
import { myJsonMessageText } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const message: Schema = { schemaType: 'JSON', schema: myJsonMessageText };
const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

/** A fresh embedded registry with a serializer and deserializer on it. */
function setup(
  options: {
    readonly schema?: Schema;
    readonly serializerFormat?: SchemaFormat;
    readonly deserializerFormat?: SchemaFormat;
    readonly subjectNameStrategy?: 'topic' | 'record';
  } = {},
) {
  const registry = new EmbeddedRegistry({ formats: [format] });
  const serializer = new Serializer({
    registry,
    formats: [options.serializerFormat ?? format],
    schema: options.schema ?? message,
    ...(options.subjectNameStrategy === undefined
      ? {}
      : { subjectNameStrategy: options.subjectNameStrategy }),
  });
  const deserializer = new Deserializer({ registry, formats: [options.deserializerFormat ?? format] });
  return { registry, serializer, deserializer };
}

const topicName = () => `messages-${randomUUID()}`;

describe('json > format', () => {
  it('is the JSON format, without message indexes', () => {
    expect(format.schemaType).toBe('JSON');
    expect(format.usesMessageIndexes).toBe(false);
  });
});

describe('json > format > serializer and deserializer', () => {
  it('writes the seed message as 00, the 4-byte schema id, then the JSON text', async () => {
    const { registry, serializer } = setup();
    const topic = topicName();
    const value = { id: 1, name: 'Ada', age: 36 };

    const { bytes } = await serializer.serialize(topic, value);
    const registered = await registry.getVersion(`${topic}-value`, 'latest');

    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(registered.id, 1);
    expect(bytes).toEqual(Buffer.concat([prefix, Buffer.from('{"id":1,"name":"Ada","age":36}')]));
  });

  it('reads back what it wrote, with the schema it was written with', async () => {
    const { serializer, deserializer } = setup();
    const topic = topicName();
    const value = { id: 2, name: 'Grace' };

    const { bytes } = await serializer.serialize(topic, value);
    const decoded = await deserializer.deserialize({ value: bytes, topic });

    expect(decoded).toMatchObject({
      schemaType: 'JSON',
      subject: `${topic}-value`,
      version: 1,
      carrier: 'prefix',
      value,
    });
    expect(deserializer.deserializeSync({ value: bytes })?.value).toEqual(value);
  });

  it('serializes synchronously once the schema is ready', async () => {
    const { serializer } = setup();
    const topic = topicName();
    await serializer.prepare(topic);

    expect(serializer.serializeSync(topic, { id: 3 }).bytes?.subarray(5).toString()).toBe('{"id":3}');
  });

  it('names the subject after the schema title with the record strategy', async () => {
    const { registry, serializer } = setup({ subjectNameStrategy: 'record' });

    await serializer.serialize(topicName(), { id: 4 });

    expect(await registry.listSubjects()).toEqual(['MyJsonMessage']);
  });

  it('refuses an invalid value, naming its path, the topic and the subject', async () => {
    const { serializer } = setup();
    const topic = topicName();

    const error = await asyncFailure(
      () => serializer.serialize(topic, { id: 5, age: 'thirty' }),
      ErrorCode.SerializationFailed,
    );

    expect(error.message).toBe('cannot serialize value: "/age" must be integer, got "thirty"');
    expect(error).toMatchObject({ topic, subject: `${topic}-value` });
  });

  it('validates on deserialize only when configured, naming the path', async () => {
    const { serializer, registry } = setup({
      serializerFormat: jsonSchemaFormat({ validateOnSerialize: false }),
    });
    const { bytes } = await serializer.serialize(topicName(), { id: 'six' });
    const lenient = new Deserializer({ registry, formats: [format] });
    const strict = new Deserializer({
      registry,
      formats: [jsonSchemaFormat({ validateOnDeserialize: true })],
    });

    expect((await lenient.deserialize({ value: bytes }))?.value).toEqual({ id: 'six' });
    const error = await asyncFailure(
      () => strict.deserialize({ value: bytes, offset: '7' }),
      ErrorCode.DeserializationFailed,
    );
    expect(error.message).toBe('cannot deserialize value: "/id" must be integer, got "six"');
    expect(error.offset).toBe('7');
  });

  it('validates with the reader schema on deserialize when one is given', async () => {
    const { serializer, registry } = setup();
    const { bytes } = await serializer.serialize(topicName(), { id: 7 });
    const reader = JSON.stringify({ ...JSON.parse(myJsonMessageText), required: ['id', 'name'] });
    const deserializer = new Deserializer({
      registry,
      formats: [jsonSchemaFormat({ validateOnDeserialize: true })],
      readerSchema: { schemaType: 'JSON', schema: reader },
    });

    const error = await asyncFailure(
      () => deserializer.deserialize({ value: bytes }),
      ErrorCode.DeserializationFailed,
    );
    expect(error.message).toBe(`cannot deserialize value: "/" must have required property 'name'`);
  });

  it('refuses to write with an invalid schema', async () => {
    const { serializer } = setup({ schema: { schemaType: 'JSON', schema: '{"type": "strin"}' } });

    const error = await asyncFailure(() => serializer.serialize(topicName(), 1), ErrorCode.InvalidSchema);
    expect(error.message).toMatch(/^cannot parse json schema: schema is invalid: data\/type must be/);
  });

  it('refuses to register an invalid schema', async () => {
    const { registry } = setup();

    await asyncFailure(
      () =>
        registry.register('bad-value', {
          schemaType: 'JSON',
          schema: '{"$schema": "http://json-schema.org/draft-04/schema#"}',
        }),
      ErrorCode.InvalidSchema,
    );
  });

  it('refuses an incompatible version at the registry default level, BACKWARD', async () => {
    const { registry } = setup();
    await registry.register('msg-value', message);
    const next = { ...JSON.parse(myJsonMessageText), required: ['id', 'email'] };
    next.properties = { ...next.properties, email: { type: 'string' } };

    const error = await asyncFailure(
      () => registry.register('msg-value', { schemaType: 'JSON', schema: JSON.stringify(next) }),
      ErrorCode.IncompatibleSchema,
    );
    expect(error.message).toContain(
      '\\"/email\\": required by the reader, but the writer does not always write it',
    );
  });

  it('finds the same schema under another spelling, and under a normalized one only with normalize', async () => {
    const { registry } = setup();
    const first = await registry.register('msg-value', message);
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(myJsonMessageText)).reverse()),
    );
    const respelled = JSON.stringify({
      ...JSON.parse(myJsonMessageText),
      type: ['object'],
      required: ['id', 'id'],
    });

    expect((await registry.lookup('msg-value', { schemaType: 'JSON', schema: reordered })).id).toBe(first.id);
    await asyncFailure(
      () => registry.lookup('msg-value', { schemaType: 'JSON', schema: respelled }),
      ErrorCode.SchemaNotFound,
    );
    expect(
      (await registry.lookup('msg-value', { schemaType: 'JSON', schema: respelled }, { normalize: true })).id,
    ).toBe(first.id);
  });
});

describe('json > format > references to other subjects', () => {
  const address = (dialect?: string) => ({
    ...(dialect === undefined ? {} : { $schema: dialect }),
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  });

  it.each([
    ['draft-07, by relative name', undefined, 'address.json'],
    ['2020-12, by absolute URL', draft2020, 'https://example.com/address.json'],
  ])('writes and reads a schema with a $ref to another subject: %s', async (_, dialect, name) => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    await registry.register('address', { schemaType: 'JSON', schema: JSON.stringify(address(dialect)) });
    const person: Schema = {
      schemaType: 'JSON',
      schema: JSON.stringify({
        ...(dialect === undefined ? {} : { $schema: dialect }),
        title: 'Person',
        type: 'object',
        properties: { name: { type: 'string' }, home: { $ref: name } },
      }),
      references: [{ name, subject: 'address', version: 1 }],
    };
    const serializer = new Serializer({ registry, formats: [format], schema: person });
    const deserializer = new Deserializer({
      registry,
      formats: [jsonSchemaFormat({ validateOnDeserialize: true })],
    });
    const topic = topicName();
    const value = { name: 'Ada', home: { city: 'London' } };

    const { bytes } = await serializer.serialize(topic, value);
    expect((await deserializer.deserialize({ value: bytes }))?.value).toEqual(value);
    const error = await asyncFailure(
      () => serializer.serialize(topic, { home: {} }),
      ErrorCode.SerializationFailed,
    );
    expect(error.message).toBe(`cannot serialize value: "/home" must have required property 'city'`);
  });
});

describe('json > format > properties', () => {
  it('round-trips every valid message through the serializer and deserializer', async () => {
    const { serializer, deserializer } = setup();
    const topic = topicName();
    const { bytes } = await serializer.serialize(topic, { id: 0 });
    await deserializer.deserialize({ value: bytes });
    // Ids of 64 bits: numbers where a number holds them exactly, bigints beyond.
    const id = fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((long) => (Number.isSafeInteger(Number(long)) ? Number(long) : long));
    const valid = fc.record({ id, name: fc.string(), age: fc.nat() }, { requiredKeys: ['id'] });

    fc.assert(
      fc.property(valid, (value) => {
        const written = serializer.serializeSync(topic, value);
        expect(deserializer.deserializeSync({ value: written.bytes })?.value).toEqual(value);
      }),
    );
  });

  it('reads any body after a known schema id as a value or a typed error, never another exception', async () => {
    const { serializer, registry } = setup();
    const { bytes } = await serializer.serialize(topicName(), { id: 0 });
    const strict = new Deserializer({
      registry,
      formats: [jsonSchemaFormat({ validateOnDeserialize: true })],
    });
    await strict.deserialize({ value: bytes });
    const prefix = bytes!.subarray(0, 5);

    fc.assert(
      fc.property(fc.uint8Array(), (body) => {
        try {
          strict.deserializeSync({ value: Buffer.concat([prefix, body]) });
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.DeserializationFailed)).toBe(true);
        }
      }),
    );
  });
});
