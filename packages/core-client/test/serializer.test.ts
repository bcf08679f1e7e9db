import { describe, expect, it } from '@jest/globals';
import type {
  IncomingMessage,
  Schema,
  SchemaFormat,
  SchemaIdCarrier,
  SerializedPayload,
  SerializerOptions,
  SubjectNameContext,
} from '@schemawire/core-client';
import {
  Deserializer,
  ErrorCode,
  encodeApicurioId,
  isSchemaWireError,
  registryError,
  SchemaFormats,
  SchemaResolver,
  Serializer,
} from '@schemawire/core-client';
import { guidOf, InMemoryRegistry } from './support/in-memory-registry.js';
import { jsonTestFormat, protobufTestFormat, testSchema } from './support/test-formats.js';

const hex = (bytes: Uint8Array | null | undefined) =>
  bytes == null ? bytes : Buffer.from(bytes).toString('hex');
const jsonHex = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('hex');
const prefixHex = (id: number) => `00${id.toString(16).padStart(8, '0')}`;

const user: Schema = {
  schemaType: 'JSON',
  schema: testSchema({ name: 'com.example.User', fields: ['name', 'age'], required: ['name'] }),
};
const userV2: Schema = {
  schemaType: 'JSON',
  schema: testSchema({ name: 'com.example.User', fields: ['name', 'age', 'email'], required: ['name'] }),
};
const nameless: Schema = { schemaType: 'JSON', schema: testSchema({ fields: ['name'] }) };
const proto: Schema = {
  schemaType: 'PROTOBUF',
  schema: testSchema({
    name: 'pkg',
    messages: { 'pkg.First': [0], 'pkg.Outer': [1], 'pkg.Outer.Inner': [1, 0] },
  }),
};
const ada = { name: 'ada', age: 36 };

function setup(options: Partial<SerializerOptions> = {}) {
  const registry = new InMemoryRegistry();
  const serializer = new Serializer({
    registry,
    formats: [jsonTestFormat(), protobufTestFormat()],
    schema: user,
    ...options,
  });
  return { registry, serializer };
}

/** The Kafka message a produced payload becomes, as a consumer sees it. */
function toMessage(payload: SerializedPayload, isKey = false): IncomingMessage {
  const headers = payload.headers ?? {};
  if (isKey) return { key: payload.bytes, value: Buffer.from('v'), headers, topic: 'orders' };
  return { value: payload.bytes, key: payload.key ?? null, headers, topic: 'orders' };
}

describe('serializer > modes > auto register', () => {
  it('registers the schema by default and writes the prefix and the body', async () => {
    const { registry, serializer } = setup();
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(`0000000001${jsonHex(ada)}`);
    expect(payload.headers).toBeUndefined();
    expect(payload.key).toBeUndefined();
    expect(registry.calls.register).toBe(1);
    expect(registry.calls.lookup).toBe(0);
    expect(await registry.listSubjects()).toEqual(['orders-value']);
  });

  it('asks the registry once per topic, then writes from the cache', async () => {
    const { registry, serializer } = setup();
    await serializer.serialize('orders', ada);
    await serializer.serialize('orders', { name: 'grace' });
    expect(registry.totalCalls()).toBe(1);
  });

  it('shares one registration among concurrent first messages of a topic', async () => {
    const { registry, serializer } = setup();
    const payloads = await Promise.all(
      Array.from({ length: 50 }, (_, i) => serializer.serialize('orders', { name: `${i}` })),
    );
    expect(payloads.every((p) => hex(p.bytes)?.startsWith('0000000001'))).toBe(true);
    expect(registry.calls.register).toBe(1);
  });
});

describe('serializer > modes > lookup', () => {
  it('looks the schema up without registering when autoRegister is false', async () => {
    const { registry, serializer } = setup({ autoRegister: false });
    registry.seed('other-value', userV2);
    const { id } = registry.seed('orders-value', user);
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(`${prefixHex(id)}${jsonHex(ada)}`);
    expect(registry.calls.lookup).toBe(1);
    expect(registry.calls.register).toBe(0);
  });

  it('fails with a typed error when the subject does not exist', async () => {
    const { registry, serializer } = setup({ autoRegister: false });
    await expect(serializer.serialize('orders', ada)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
    });
    expect(registry.calls.register).toBe(0);
  });

  it('fails with a typed error when the subject does not hold the schema', async () => {
    const { registry, serializer } = setup({ autoRegister: false });
    registry.seed('orders-value', userV2);
    await expect(serializer.serialize('orders', ada)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
  });
});

describe('serializer > modes > latest version and schema id', () => {
  it('writes with the latest version of the subject', async () => {
    const registry = new InMemoryRegistry();
    const serializer = new Serializer({ registry, formats: [jsonTestFormat()], useLatestVersion: true });
    registry.seed('orders-value', user);
    const { id } = registry.seed('orders-value', userV2);
    expect((await serializer.prepare('orders')).id).toBe(id);
    expect(hex((await serializer.serialize('orders', ada)).bytes)).toBe(`${prefixHex(id)}${jsonHex(ada)}`);
    expect(registry.calls.register).toBe(0);
    expect(registry.versionRequests).toEqual(['orders-value:latest']);
  });

  it('names the subject from the given schema for the record strategies', async () => {
    const { registry, serializer } = setup({ useLatestVersion: true, subjectNameStrategy: 'record' });
    const { id } = registry.seed('com.example.User', user);
    expect((await serializer.prepare('orders')).id).toBe(id);
    expect(registry.versionRequests).toEqual(['com.example.User:latest']);
  });

  it('writes with the schema of a given id', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('a-value', user);
    const { id } = registry.seed('b-value', userV2);
    const serializer = new Serializer({ registry, formats: [jsonTestFormat()], useSchemaId: id });
    expect(hex((await serializer.serialize('orders', ada)).bytes)).toBe(`${prefixHex(id)}${jsonHex(ada)}`);
    expect(registry.calls.getSchema).toBe(1);
    expect(registry.calls.register + registry.calls.lookup).toBe(0);
  });

  it('fails with a typed error when the subject has no versions', async () => {
    const registry = new InMemoryRegistry();
    const serializer = new Serializer({ registry, formats: [jsonTestFormat()], useLatestVersion: true });
    await expect(serializer.serialize('orders', ada)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      topic: 'orders',
    });
  });
});

describe('serializer > modes > conflicting options', () => {
  const registry = new InMemoryRegistry();
  const formats = [jsonTestFormat()];

  it.each<[string, Omit<SerializerOptions, 'registry' | 'formats'>]>([
    ['useLatestVersion with useSchemaId', { useLatestVersion: true, useSchemaId: 1 }],
    ['autoRegister with useLatestVersion', { schema: user, autoRegister: true, useLatestVersion: true }],
    ['autoRegister with useSchemaId', { autoRegister: true, useSchemaId: 1 }],
    ['no schema and no fixed version', {}],
    ['the key carrier for keys', { schema: user, isKey: true, carrier: 'key' }],
  ])('refuses %s', (_name, options) => {
    expect(() => new Serializer({ registry, formats, ...options })).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        message: expect.stringMatching(/^cannot create serializer: /),
      }),
    );
  });
});

describe('serializer > subject name strategies', () => {
  it.each<[string, Partial<SerializerOptions>, string]>([
    ['topic for values', {}, 'orders-value'],
    ['topic for keys', { isKey: true }, 'orders-key'],
    ['record', { subjectNameStrategy: 'record' }, 'com.example.User'],
    ['topicRecord', { subjectNameStrategy: 'topicRecord' }, 'orders-com.example.User'],
    [
      'record with a Protobuf message name',
      { schema: proto, messageName: 'pkg.Outer', subjectNameStrategy: 'record' },
      'pkg.Outer',
    ],
  ])('registers under the %s subject', async (_name, options, subject) => {
    const { registry, serializer } = setup(options);
    await serializer.serialize('orders', ada);
    expect(await registry.listSubjects()).toEqual([subject]);
  });

  it('calls a custom strategy with the topic, the side and the type name', async () => {
    const seen: SubjectNameContext[] = [];
    const { registry, serializer } = setup({
      isKey: true,
      subjectNameStrategy: (context) => {
        seen.push(context);
        return `custom.${context.topic}`;
      },
    });
    await serializer.serialize('orders', ada);
    expect(seen).toEqual([{ topic: 'orders', isKey: true, typeName: 'com.example.User' }]);
    expect(await registry.listSubjects()).toEqual(['custom.orders']);
  });

  it('refuses the record strategy for a schema without a named type', async () => {
    const { registry, serializer } = setup({ schema: nameless, subjectNameStrategy: 'record' });
    await expect(serializer.serialize('orders', ada)).rejects.toMatchObject({
      code: ErrorCode.Config,
      topic: 'orders',
    });
    expect(registry.calls.register).toBe(0);
  });
});

describe('serializer > normalize', () => {
  it('passes normalize to the registry when registering', async () => {
    const { registry, serializer } = setup({ normalize: true });
    await serializer.serialize('orders', ada);
    expect(registry.registerOptions).toEqual([{ normalize: true }]);
  });

  it('passes normalize to the registry when looking up', async () => {
    const { registry, serializer } = setup({ normalize: true, autoRegister: false });
    registry.seed('orders-value', user);
    await serializer.serialize('orders', ada);
    expect(registry.calls.lookup).toBe(1);
    expect(registry.registerOptions).toEqual([{ normalize: true }]);
  });

  it('asks for no normalization unless told', async () => {
    const { registry, serializer } = setup();
    await serializer.serialize('orders', ada);
    expect(registry.registerOptions[0]?.normalize).toBeUndefined();
  });
});

describe('serializer > carriers', () => {
  it('writes the GUID into the value header and the body bare', async () => {
    const { registry, serializer } = setup({ carrier: 'confluent-header' });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(jsonHex(ada));
    expect(Object.keys(payload.headers ?? {})).toEqual(['__value_schema_id']);
    expect(hex(payload.headers?.['__value_schema_id'])).toBe(`01${guidOf(1).replaceAll('-', '')}`);
    // The registration answer had no GUID: the serializer fetched the schema by id once to get it.
    expect(registry.calls.getSchema).toBe(1);
    await serializer.serialize('orders', ada);
    expect(registry.totalCalls()).toBe(2);
  });

  it('writes the key header for keys', async () => {
    const { registry, serializer } = setup({ carrier: 'confluent-header', isKey: true });
    const payload = await serializer.serialize('orders', ada);
    expect(Object.keys(payload.headers ?? {})).toEqual(['__key_schema_id']);
    expect(await registry.listSubjects()).toEqual(['orders-key']);
  });

  it('writes the contentId into the Apicurio header by default', async () => {
    const { serializer } = setup({ carrier: 'apicurio-header' });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(jsonHex(ada));
    expect(payload.headers).toEqual({ 'apicurio.value.contentId': encodeApicurioId(1) });
  });

  // Regression: the globalId was sought in the schema by id, which names content, not a version.
  it('writes the globalId of the registered version into the Apicurio header when asked', async () => {
    const { registry, serializer } = setup({ carrier: 'apicurio-header', apicurioId: 'globalId' });
    registry.seed('orders-value', userV2);
    const payload = await serializer.serialize('orders', ada);
    expect(payload.headers).toEqual({ 'apicurio.value.globalId': encodeApicurioId(1002) });
    // The registration answer named no globalId: one look-up of the subject's version found it.
    expect(registry.calls.lookup).toBe(1);
  });

  it('writes the globalId of the latest version', async () => {
    const { registry, serializer } = setup({
      carrier: 'apicurio-header',
      apicurioId: 'globalId',
      useLatestVersion: true,
    });
    registry.seed('orders-value', userV2);
    registry.seed('orders-value', user);
    const payload = await serializer.serialize('orders', ada);
    expect(payload.headers).toEqual({ 'apicurio.value.globalId': encodeApicurioId(1002) });
  });

  it('writes the Apicurio key headers for keys', async () => {
    const { serializer } = setup({ carrier: 'apicurio-header', isKey: true });
    expect(Object.keys((await serializer.serialize('orders', ada)).headers ?? {})).toEqual([
      'apicurio.key.contentId',
    ]);
  });

  it('writes the schema id into the message key', async () => {
    const { serializer } = setup({ carrier: 'key' });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(jsonHex(ada));
    expect(payload.key?.toString('utf8')).toBe('1');
    expect(payload.headers).toBeUndefined();
  });

  it('names a schema without a GUID by its id in the header, and it decodes back', async () => {
    const { registry, serializer } = setup({ carrier: 'confluent-header' });
    const original = registry.getSchema.bind(registry);
    registry.getSchema = async (id) => {
      const { guid: _guid, ...rest } = await original(id);
      return rest;
    };
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.headers?.['__value_schema_id'])).toBe('0000000001');
    const decoded = await new Deserializer({ registry, formats: [jsonTestFormat()] }).deserialize({
      value: payload.bytes,
      headers: payload.headers ?? {},
    });
    expect(decoded).toMatchObject({ schemaId: 1, carrier: 'confluent-header', value: ada });
  });
});

describe('serializer > round trips through the deserializer', () => {
  it.each<[string, Partial<SerializerOptions>, SchemaIdCarrier]>([
    ['prefix', {}, 'prefix'],
    ['confluent header', { carrier: 'confluent-header' }, 'confluent-header'],
    ['apicurio header with the contentId', { carrier: 'apicurio-header' }, 'apicurio-header'],
    [
      'apicurio header with the globalId',
      { carrier: 'apicurio-header', apicurioId: 'globalId' },
      'apicurio-header',
    ],
    ['key', { carrier: 'key' }, 'key'],
  ])('reads back a value written through the %s', async (_name, options, carrier) => {
    const { registry, serializer } = setup(options);
    const deserializer = new Deserializer({ registry, formats: [jsonTestFormat()], keyCarrier: true });
    const payload = await serializer.serialize('orders', ada);
    const read = await deserializer.deserialize(toMessage(payload));
    expect(read).toMatchObject({ value: ada, schemaId: 1, schemaType: 'JSON', carrier });
  });

  it.each<[string, Partial<SerializerOptions>]>([
    ['prefix', {}],
    ['confluent header', { carrier: 'confluent-header' }],
    ['apicurio header', { carrier: 'apicurio-header' }],
  ])('reads back a key written through the %s', async (_name, options) => {
    const { registry, serializer } = setup({ ...options, isKey: true });
    const deserializer = new Deserializer({ registry, formats: [jsonTestFormat()], isKey: true });
    const payload = await serializer.serialize('orders', ada);
    expect((await deserializer.deserialize(toMessage(payload, true)))?.value).toEqual(ada);
  });

  it('keeps keys and values apart when both carry headers', async () => {
    const registry = new InMemoryRegistry();
    const formats = [jsonTestFormat()];
    const keySchema: Schema = { schemaType: 'JSON', schema: testSchema({ name: 'com.example.Key' }) };
    const keys = new Serializer({
      registry,
      formats,
      schema: keySchema,
      isKey: true,
      carrier: 'confluent-header',
    });
    const values = new Serializer({ registry, formats, schema: user, carrier: 'confluent-header' });
    const key = await keys.serialize('orders', { id: 7 });
    const value = await values.serialize('orders', ada);
    const message: IncomingMessage = {
      key: key.bytes,
      value: value.bytes,
      headers: { ...key.headers, ...value.headers },
    };
    const keyRead = await new Deserializer({ registry, formats, isKey: true }).deserialize(message);
    const valueRead = await new Deserializer({ registry, formats }).deserialize(message);
    expect(keyRead).toMatchObject({ value: { id: 7 }, schemaId: 1 });
    expect(valueRead).toMatchObject({ value: ada, schemaId: 2 });
  });

  it('shares a resolver between a serializer and a deserializer', async () => {
    const registry = new InMemoryRegistry();
    const resolver = new SchemaResolver(registry);
    const formats = new SchemaFormats([jsonTestFormat()]);
    const serializer = new Serializer({
      registry: resolver,
      formats,
      schema: user,
      carrier: 'confluent-header',
    });
    const deserializer = new Deserializer({ registry: resolver, formats });
    expect(serializer.resolver).toBe(resolver);
    expect(deserializer.resolver).toBe(resolver);
    const payload = await serializer.serialize('orders', ada);
    expect((await deserializer.deserialize(toMessage(payload)))?.value).toEqual(ada);
    // The GUID look-up of the serializer filled the cache the deserializer reads from.
    expect(registry.calls.getSchema).toBe(1);
  });
});

describe('serializer > message indexes', () => {
  it.each<[string, string, string]>([
    ['pkg.First', '00', 'pkg.First'],
    ['pkg.Outer', '0202', 'pkg.Outer'],
    ['pkg.Outer.Inner', '040200', 'pkg.Outer.Inner'],
  ])('writes the indexes of %s after the id in the prefix', async (messageName, indexes, expected) => {
    const { registry, serializer } = setup({ schema: proto, messageName });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(`0000000001${indexes}${jsonHex(ada)}`);
    const deserializer = new Deserializer({ registry, formats: [protobufTestFormat()] });
    expect((await deserializer.deserialize(toMessage(payload)))?.value).toEqual({
      messageName: expected,
      value: ada,
    });
  });

  it('writes the message a schema handle names, unless messageName names another', async () => {
    const handle = { ...proto, typeName: 'pkg.Outer.Inner', messageName: 'pkg.Outer.Inner' };
    const fromHandle = await setup({ schema: handle }).serializer.serialize('orders', ada);
    expect(hex(fromHandle.bytes)).toBe(`0000000001040200${jsonHex(ada)}`);
    const overridden = await setup({ schema: handle, messageName: 'pkg.Outer' }).serializer.serialize(
      'orders',
      ada,
    );
    expect(hex(overridden.bytes)).toBe(`00000000010202${jsonHex(ada)}`);
  });

  it('writes the indexes after the GUID in the Confluent header, and the body bare', async () => {
    const { registry, serializer } = setup({
      schema: proto,
      messageName: 'pkg.Outer.Inner',
      carrier: 'confluent-header',
    });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(jsonHex(ada));
    expect(hex(payload.headers?.['__value_schema_id'])).toBe(`01${guidOf(1).replaceAll('-', '')}040200`);
    const deserializer = new Deserializer({ registry, formats: [protobufTestFormat()] });
    expect((await deserializer.deserialize(toMessage(payload)))?.value).toEqual({
      messageName: 'pkg.Outer.Inner',
      value: ada,
    });
  });

  it.each<[string, Partial<SerializerOptions>]>([
    ['apicurio header', { carrier: 'apicurio-header' }],
    ['key', { carrier: 'key' }],
  ])('writes the indexes before the body for the %s carrier', async (_name, options) => {
    const { registry, serializer } = setup({ ...options, schema: proto, messageName: 'pkg.Outer.Inner' });
    const payload = await serializer.serialize('orders', ada);
    expect(hex(payload.bytes)).toBe(`040200${jsonHex(ada)}`);
    const deserializer = new Deserializer({ registry, formats: [protobufTestFormat()], keyCarrier: true });
    expect((await deserializer.deserialize(toMessage(payload)))?.value).toEqual({
      messageName: 'pkg.Outer.Inner',
      value: ada,
    });
  });
});

describe('serializer > message indexes > chosen by the value', () => {
  const first = { $message: 'pkg.First', name: 'ada' };
  const inner = { $message: 'pkg.Outer.Inner', name: 'ada' };

  it('writes the indexes of the message the value names, and the default ones for other values', async () => {
    const { serializer } = setup({ schema: proto });
    expect(hex((await serializer.serialize('orders', inner)).bytes)).toBe(
      `0000000001040200${jsonHex(inner)}`,
    );
    expect(hex((await serializer.serialize('orders', ada)).bytes)).toBe(`000000000100${jsonHex(ada)}`);
    expect(hex((await serializer.serialize('orders', first)).bytes)).toBe(`000000000100${jsonHex(first)}`);
    // The frame of a chosen message is kept: writing it again gives the same bytes.
    expect(hex(serializer.serializeSync('orders', inner).bytes)).toBe(`0000000001040200${jsonHex(inner)}`);
  });

  it('writes the chosen indexes after the GUID in the Confluent header', async () => {
    const { registry, serializer } = setup({ schema: proto, carrier: 'confluent-header' });
    const payload = await serializer.serialize('orders', inner);
    expect(hex(payload.bytes)).toBe(jsonHex(inner));
    expect(hex(payload.headers?.['__value_schema_id'])).toBe(`01${guidOf(1).replaceAll('-', '')}040200`);
    const deserializer = new Deserializer({ registry, formats: [protobufTestFormat()] });
    expect((await deserializer.deserialize(toMessage(payload)))?.value).toEqual({
      messageName: 'pkg.Outer.Inner',
      value: inner,
    });
  });

  it('writes the chosen indexes before the body for the key carrier', async () => {
    const { serializer } = setup({ schema: proto, carrier: 'key' });
    const payload = await serializer.serialize('orders', inner);
    expect(hex(payload.bytes)).toBe(`040200${jsonHex(inner)}`);
    expect(payload.key?.toString()).toBe('1');
  });

  it('keeps the configured message: a codec compiled for messageName lets no value choose', async () => {
    const { serializer } = setup({ schema: proto, messageName: 'pkg.Outer' });
    expect(hex((await serializer.serialize('orders', inner)).bytes)).toBe(`00000000010202${jsonHex(inner)}`);
  });
});

describe('serializer > json values', () => {
  // A format whose codec spells names in upper case in its JSON form.
  const shouting = (): SchemaFormat => {
    const base = jsonTestFormat();
    return {
      ...base,
      compile: (schema, options) => ({
        ...base.compile(schema, options),
        fromJson: (value) => ({
          ...(value as object),
          name: String((value as { name: unknown }).name).toUpperCase(),
        }),
      }),
    };
  };

  it("runs values through the codec's fromJson with jsonValues, and only then", async () => {
    const written = async (jsonValues: boolean) => {
      const serializer = new Serializer({
        registry: new InMemoryRegistry(),
        formats: [shouting()],
        schema: user,
        jsonValues,
      });
      return JSON.parse(
        Buffer.from((await serializer.serialize('orders', ada)).bytes!.subarray(5)).toString(),
      );
    };
    expect(await written(true)).toEqual({ name: 'ADA', age: 36 });
    expect(await written(false)).toEqual(ada);
  });

  it('leaves values as they are for a codec without fromJson', async () => {
    const { serializer } = setup({ jsonValues: true });
    expect(hex((await serializer.serialize('orders', ada)).bytes)).toBe(`${prefixHex(1)}${jsonHex(ada)}`);
  });
});

describe('serializer > tombstones', () => {
  it('passes null through without asking the registry', async () => {
    const { registry, serializer } = setup();
    expect(await serializer.serialize('orders', null)).toEqual({ bytes: null });
    expect(serializer.serializeSync('orders', null)).toEqual({ bytes: null });
    expect(registry.totalCalls()).toBe(0);
  });

  it('reads a null value back as null', async () => {
    const { registry, serializer } = setup();
    const deserializer = new Deserializer({ registry, formats: [jsonTestFormat()] });
    expect(await deserializer.deserialize(toMessage(await serializer.serialize('orders', null)))).toBeNull();
  });
});

describe('serializer > synchronous path', () => {
  it('refuses to serialize synchronously before the schema is ready', () => {
    const { registry, serializer } = setup();
    expect(() => serializer.serializeSync('orders', ada)).toThrow(
      expect.objectContaining({ code: ErrorCode.NotCached, topic: 'orders' }),
    );
    expect(registry.totalCalls()).toBe(0);
  });

  it('serializes synchronously after prepare, without asking the registry again', async () => {
    const { registry, serializer } = setup();
    const prepared = await serializer.prepare('orders');
    expect(prepared).toMatchObject({ id: 1, schemaType: 'JSON' });
    const calls = registry.totalCalls();
    expect(hex(serializer.serializeSync('orders', ada).bytes)).toBe(`0000000001${jsonHex(ada)}`);
    expect(registry.totalCalls()).toBe(calls);
  });

  it('serializes synchronously after one asynchronous serialize', async () => {
    const { serializer } = setup({ carrier: 'confluent-header' });
    const first = await serializer.serialize('orders', ada);
    const second = serializer.serializeSync('orders', ada);
    expect(second).toEqual(first);
  });

  it('is ready per topic', async () => {
    const { serializer } = setup();
    await serializer.prepare('orders');
    expect(() => serializer.serializeSync('payments', ada)).toThrow(
      expect.objectContaining({ code: ErrorCode.NotCached }),
    );
  });

  it('keeps at most maxTopics topics ready', async () => {
    const { serializer } = setup({ maxTopics: 1 });
    await serializer.prepare('orders');
    await serializer.prepare('payments');
    expect(() => serializer.serializeSync('orders', ada)).toThrow(
      expect.objectContaining({ code: ErrorCode.NotCached }),
    );
    expect(serializer.serializeSync('payments', ada).bytes).not.toBeNull();
  });
});

describe('serializer > errors', () => {
  it('names the topic, schema and subject of a value that does not fit', async () => {
    const { serializer } = setup();
    await expect(serializer.serialize('orders', { age: 3 })).rejects.toMatchObject({
      code: ErrorCode.SerializationFailed,
      message: expect.stringContaining('"name"'),
      topic: 'orders',
      schemaId: 1,
      subject: 'orders-value',
    });
  });

  it('wraps a codec crash in a typed error that keeps the cause', async () => {
    const format = jsonTestFormat();
    const crashing = {
      ...format,
      compile: () => ({
        encode: () => {
          throw new TypeError('boom');
        },
        decode: () => undefined,
      }),
    };
    const serializer = new Serializer({
      registry: new InMemoryRegistry(),
      formats: [crashing],
      schema: user,
    });
    const error = await serializer.serialize('orders', ada).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.SerializationFailed, topic: 'orders', schemaId: 1 });
    expect((error as Error).message).toMatch(/^cannot serialize value: boom/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('regression: a codec that leaves no room for the frame fails instead of writing a cut-off prefix', async () => {
    const format = jsonTestFormat();
    const roomless = {
      ...format,
      compile: () => ({ encode: () => Buffer.from([0x7b]), decode: () => undefined }),
    };
    const serializer = new Serializer({
      registry: new InMemoryRegistry(),
      formats: [roomless],
      schema: user,
    });
    await expect(serializer.serialize('orders', ada)).rejects.toMatchObject({
      code: ErrorCode.SerializationFailed,
      topic: 'orders',
      schemaId: 1,
    });
  });

  it('refuses a schema type no format is configured for', async () => {
    const { serializer } = setup({
      schema: { schemaType: 'AVRO', schema: '"string"' },
      formats: [jsonTestFormat()],
    });
    await expect(serializer.serialize('orders', 'x')).rejects.toMatchObject({
      code: ErrorCode.UnsupportedSchemaType,
      message: expect.stringContaining('"AVRO"'),
    });
  });

  it('surfaces a registry failure as a typed error with the topic, and does not cache it', async () => {
    const { registry, serializer } = setup();
    registry.failNext('register', registryError(undefined, 503, 'service unavailable'));
    const error = await serializer.serialize('orders', ada).catch((e: unknown) => e);
    expect(isSchemaWireError(error, ErrorCode.RegistryUnavailable)).toBe(true);
    expect(error).toMatchObject({ retriable: true, topic: 'orders' });
    expect(hex((await serializer.serialize('orders', ada)).bytes)).toBe(`0000000001${jsonHex(ada)}`);
    expect(registry.calls.register).toBe(2);
  });
});

describe('serializer > with schema', () => {
  it("writes another schema with the serializer's registry, formats and options", async () => {
    const order = {
      schemaType: 'JSON',
      schema: testSchema({ name: 'com.example.Order', fields: ['id'] }),
    } as const;
    const { registry, serializer } = setup({ carrier: 'confluent-header', subjectNameStrategy: 'record' });
    const orders = serializer.withSchema(order);
    const payload = await orders.serialize('orders', { id: 1 });
    expect(payload.headers?.['__value_schema_id']).toBeDefined();
    expect(await registry.listVersions('com.example.Order')).toEqual([1]);
    expect((await serializer.serialize('users', ada)).headers?.['__value_schema_id']).toBeDefined();
    expect(await registry.listVersions('com.example.User')).toEqual([1]);
  });
});
