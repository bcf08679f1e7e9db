import { describe, expect, it } from '@jest/globals';
import type {
  DeserializerOptions,
  IncomingMessage,
  RegisteredSchema,
  Schema,
  SchemaCodec,
  SchemaFormat,
  SchemalessCodec,
} from '@schemawire/core-client';
import {
  Deserializer,
  ErrorCode,
  encodeApicurioId,
  encodeConfluentHeader,
  encodeConfluentPrefix,
  escapeControlCharacters,
  isSchemaWireError,
  registryError,
} from '@schemawire/core-client';
import fc from 'fast-check';
import { guidOf, InMemoryRegistry } from './support/in-memory-registry.js';
import { jsonTestFormat, protobufTestFormat, testSchema } from './support/test-formats.js';

const json = (name: string, fields: string[] = ['name', 'age']): Schema => ({
  schemaType: 'JSON',
  schema: testSchema({ name, fields }),
});
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const prefixed = (id: number, value: unknown) => encodeConfluentPrefix(id, body(value));
const where = { topic: 'orders', partition: 3, offset: '1234' } as const;
const ada = { name: 'ada', age: 36 };

function setup(options: Partial<DeserializerOptions> = {}) {
  const registry = new InMemoryRegistry();
  const format = jsonTestFormat();
  const { id } = registry.seed('orders-value', json('com.example.User'));
  const deserializer = new Deserializer({ registry, formats: [format], ...options });
  return { registry, format, deserializer, id };
}

describe('deserializer > resolving schemas', () => {
  it('decodes a prefixed payload with the schema it names', async () => {
    const { deserializer, id } = setup();
    expect(await deserializer.deserialize({ value: prefixed(id, ada) })).toEqual({
      schemaId: id,
      schemaType: 'JSON',
      subject: undefined,
      version: undefined,
      carrier: 'prefix',
      value: ada,
    });
  });

  it('fetches 10 unknown schemas once each for 100 concurrent messages', async () => {
    const registry = new InMemoryRegistry();
    const format = jsonTestFormat();
    const ids = Array.from({ length: 10 }, (_, i) => registry.seed(`t${i}-value`, json(`T${i}`)).id);
    const deserializer = new Deserializer({ registry, formats: [format] });
    const messages = Array.from({ length: 100 }, (_, i) => ({ value: prefixed(ids[i % 10]!, { n: i }) }));
    const results = await Promise.all(messages.map((m) => deserializer.deserialize(m)));
    expect(results.map((r) => r?.value)).toEqual(messages.map((_, i) => ({ n: i })));
    expect(results.map((r) => r?.schemaId)).toEqual(messages.map((_, i) => ids[i % 10]));
    expect(registry.calls.getSchema).toBe(10);
    expect(format.compiled).toHaveLength(10);
  });

  it('asks the registry nothing for a schema it has cached', async () => {
    const { registry, format, deserializer, id } = setup();
    await deserializer.deserialize({ value: prefixed(id, ada) });
    await deserializer.deserialize({ value: prefixed(id, { name: 'grace' }) });
    expect(registry.totalCalls()).toBe(1);
    expect(format.compiled).toHaveLength(1);
  });

  it('compiles a schema with its references resolved, dependencies first', async () => {
    const registry = new InMemoryRegistry();
    const format = jsonTestFormat();
    registry.seed('D', json('D'));
    registry.seed('B', { ...json('B'), references: [{ name: 'd', subject: 'D', version: 1 }] });
    const { id } = registry.seed('orders-value', {
      ...json('A'),
      references: [{ name: 'b', subject: 'B', version: 1 }],
    });
    const deserializer = new Deserializer({ registry, formats: [format] });
    await deserializer.deserialize({ value: prefixed(id, ada) });
    expect(format.compiled[0]?.schema.dependencies.map((d) => d.name)).toEqual(['d', 'b']);
  });

  it('keeps at most maxCodecs compiled schemas', async () => {
    const { registry, deserializer, id } = setup({ maxCodecs: 1 });
    const other = registry.seed('other-value', json('Other')).id;
    await deserializer.deserialize({ value: prefixed(id, ada) });
    await deserializer.deserialize({ value: prefixed(other, ada) });
    expect(() => deserializer.deserializeSync({ value: prefixed(id, ada) })).toThrow(
      expect.objectContaining({ code: ErrorCode.NotCached }),
    );
    expect(deserializer.deserializeSync({ value: prefixed(other, ada) })?.value).toEqual(ada);
  });

  it('accepts a plain Uint8Array view as the value', async () => {
    const { deserializer, id } = setup();
    const pool = Buffer.concat([Buffer.from('xx'), prefixed(id, ada)]);
    const view = new Uint8Array(pool.buffer, pool.byteOffset + 2, pool.length - 2);
    expect((await deserializer.deserialize({ value: view }))?.value).toEqual(ada);
  });
});

describe('deserializer > carriers', () => {
  it('reads the GUID from the Confluent value header', async () => {
    const { deserializer, id } = setup();
    const read = await deserializer.deserialize({
      value: body(ada),
      headers: { __value_schema_id: encodeConfluentHeader(guidOf(id)) },
    });
    expect(read).toMatchObject({ schemaId: id, carrier: 'confluent-header', value: ada });
  });

  it('reads the Apicurio globalId and reports the subject and version it names', async () => {
    const { deserializer, id } = setup();
    const read = await deserializer.deserialize({
      value: body(ada),
      headers: { 'apicurio.value.globalId': encodeApicurioId(1001) },
    });
    expect(read).toMatchObject({
      schemaId: id,
      subject: 'orders-value',
      version: 1,
      carrier: 'apicurio-header',
    });
  });

  it('reads the Apicurio contentId', async () => {
    const { deserializer, id } = setup();
    const read = await deserializer.deserialize({
      value: body(ada),
      headers: { 'apicurio.value.contentId': encodeApicurioId(id) },
    });
    expect(read).toMatchObject({ schemaId: id, carrier: 'apicurio-header', value: ada });
  });

  it('reads the schema id from the key only with the key carrier on', async () => {
    const message = { value: body(ada), key: Buffer.from('1') };
    const on = setup({ keyCarrier: true });
    expect(await on.deserializer.deserialize(message)).toMatchObject({
      schemaId: 1,
      carrier: 'key',
      value: ada,
    });
    const off = setup();
    await expect(off.deserializer.deserialize(message)).rejects.toMatchObject({
      code: ErrorCode.UnknownMagicByte,
    });
  });

  it('reads the schema id from the key with a custom key codec', async () => {
    const { deserializer } = setup({
      keyCarrier: {
        encode: () => Buffer.alloc(0),
        decode: (key) => (key[0] === 0x23 ? key.length : undefined),
      },
    });
    expect((await deserializer.deserialize({ value: body(ada), key: Buffer.from('#') }))?.schemaId).toBe(1);
  });

  it('decodes keys from the message key and the key header', async () => {
    const { deserializer, id } = setup({ isKey: true });
    const message: IncomingMessage = {
      key: body({ k: 1 }),
      value: body(ada),
      headers: { __key_schema_id: encodeConfluentHeader(guidOf(id)), __value_schema_id: Buffer.from('junk') },
    };
    expect(await deserializer.deserialize(message)).toMatchObject({
      value: { k: 1 },
      carrier: 'confluent-header',
    });
  });

  it('refuses the key carrier for a key deserializer', () => {
    expect(() => setup({ isKey: true, keyCarrier: true })).toThrow(
      expect.objectContaining({ code: ErrorCode.Config }),
    );
    expect(() => setup({ isKey: true, keyCarrier: false })).not.toThrow();
  });
});

describe('deserializer > carriers > prefix of a cached schema', () => {
  // Decodes to the hex of the body, so a test sees where the deserializer took the body to start.
  const bytesFormat: SchemaFormat = {
    ...jsonTestFormat(),
    compile: () => ({
      encode: () => {
        throw new Error('not used');
      },
      decode: (payload: Buffer, offset: number) => payload.subarray(offset).toString('hex'),
    }),
  };
  const modes = ['deserializeSync', 'deserialize'] as const;
  const read = (deserializer: Deserializer, message: IncomingMessage, mode: (typeof modes)[number]) =>
    mode === 'deserializeSync' ? deserializer.deserializeSync(message) : deserializer.deserialize(message);

  // Two cached schemas, and a payload that opens like a prefix naming the first.
  async function cachedPair(options: Partial<DeserializerOptions> = {}) {
    const registry = new InMemoryRegistry();
    const first = registry.seed('a-value', json('A')).id;
    const second = registry.seed('b-value', json('B')).id;
    const deserializer = new Deserializer({ registry, formats: [bytesFormat], ...options });
    await deserializer.prepare({ kind: 'id', id: first });
    await deserializer.prepare({ kind: 'id', id: second });
    const payload = encodeConfluentPrefix(first, Buffer.from('body'));
    return { first, second, deserializer, payload, whole: payload.toString('hex') };
  }

  it.each(modes)('%s decodes the body after the prefix with the schema it names', async (mode) => {
    const { first, deserializer, payload } = await cachedPair();
    expect(await read(deserializer, { value: payload, headers: {} }, mode)).toEqual({
      schemaId: first,
      schemaType: 'JSON',
      subject: undefined,
      version: undefined,
      carrier: 'prefix',
      value: Buffer.from('body').toString('hex'),
    });
  });

  // Results are built by a constructor (see DecodedResult): they must stay what an object literal was.
  it.each(modes)('%s gives a plain object, as a literal would be', async (mode) => {
    const { first, second, deserializer, payload, whole } = await cachedPair();
    const headers = { __value_schema_id: encodeConfluentHeader(second) };
    for (const message of [{ value: payload }, { value: payload, headers }]) {
      const decoded = await read(deserializer, message, mode);
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
      expect(Object.keys(decoded!)).toEqual([
        'schemaId',
        'schemaType',
        'subject',
        'version',
        'carrier',
        'value',
      ]);
      expect(decoded!.constructor).toBe(Object);
      expect(JSON.stringify(decoded)).toBe(
        JSON.stringify({
          schemaId: message.headers === undefined ? first : second,
          schemaType: 'JSON',
          carrier: message.headers === undefined ? 'prefix' : 'confluent-header',
          value: message.headers === undefined ? Buffer.from('body').toString('hex') : whole,
        }),
      );
    }
  });

  it.each(modes)('%s reads the Confluent header first', async (mode) => {
    const { second, deserializer, payload, whole } = await cachedPair();
    const headers = { __value_schema_id: encodeConfluentHeader(second) };
    expect(await read(deserializer, { value: payload, headers }, mode)).toMatchObject({
      schemaId: second,
      carrier: 'confluent-header',
      value: whole,
    });
  });

  it.each(modes)('%s reads the Apicurio header first', async (mode) => {
    const { second, deserializer, payload, whole } = await cachedPair();
    await deserializer.prepare({ kind: 'contentId', contentId: second });
    const headers = { 'apicurio.value.contentId': encodeApicurioId(second) };
    expect(await read(deserializer, { value: payload, headers }, mode)).toMatchObject({
      schemaId: second,
      carrier: 'apicurio-header',
      value: whole,
    });
  });

  it.each(modes)('%s reads the key first when the key carrier is on', async (mode) => {
    const { second, deserializer, payload, whole } = await cachedPair({ keyCarrier: true });
    const message = { value: payload, key: Buffer.from(String(second)) };
    expect(await read(deserializer, message, mode)).toMatchObject({
      schemaId: second,
      carrier: 'key',
      value: whole,
    });
  });

  it.each(modes)('%s reads the key header first for a key deserializer', async (mode) => {
    const { second, deserializer, payload, whole } = await cachedPair({ isKey: true });
    const message = {
      key: payload,
      value: Buffer.from('v'),
      headers: { __key_schema_id: encodeConfluentHeader(second) },
    };
    expect(await read(deserializer, message, mode)).toMatchObject({
      schemaId: second,
      carrier: 'confluent-header',
      value: whole,
    });
  });
});

describe('deserializer > message indexes', () => {
  const proto: Schema = {
    schemaType: 'PROTOBUF',
    schema: testSchema({ messages: { 'pkg.First': [0], 'pkg.Second': [1], 'pkg.Second.Inner': [1, 0] } }),
  };

  function protoSetup() {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', proto);
    return { id, deserializer: new Deserializer({ registry, formats: [protobufTestFormat()] }) };
  }

  it.each([
    ['00', 'pkg.First'],
    ['0200', 'pkg.First'],
    ['0202', 'pkg.Second'],
    ['040200', 'pkg.Second.Inner'],
  ])('reads the indexes %s after the prefix as %s', async (indexes, messageName) => {
    const { id, deserializer } = protoSetup();
    const value = Buffer.concat([encodeConfluentPrefix(id, Buffer.from(indexes, 'hex')), body(ada)]);
    expect((await deserializer.deserialize({ value }))?.value).toEqual({ messageName, value: ada });
  });

  it('reads the indexes from the Confluent header', async () => {
    const { id, deserializer } = protoSetup();
    const message = {
      value: body(ada),
      headers: { __value_schema_id: encodeConfluentHeader(guidOf(id), [1, 0]) },
    };
    expect((await deserializer.deserialize(message))?.value).toEqual({
      messageName: 'pkg.Second.Inner',
      value: ada,
    });
  });

  it('reads a Confluent header without indexes as the first message', async () => {
    const { id, deserializer } = protoSetup();
    const message = { value: body(ada), headers: { __value_schema_id: encodeConfluentHeader(guidOf(id)) } };
    expect((await deserializer.deserialize(message))?.value).toEqual({
      messageName: 'pkg.First',
      value: ada,
    });
  });

  it('rejects truncated indexes as an invalid payload with the message context', async () => {
    const { id, deserializer } = protoSetup();
    const value = encodeConfluentPrefix(id, Buffer.from('04', 'hex'));
    await expect(deserializer.deserialize({ value, ...where })).rejects.toMatchObject({
      code: ErrorCode.InvalidPayload,
      ...where,
      schemaId: id,
    });
  });
});

describe('deserializer > tombstones', () => {
  it('reads a null value as null without asking the registry', async () => {
    const { registry, deserializer } = setup();
    expect(await deserializer.deserialize({ value: null })).toBeNull();
    expect(deserializer.deserializeSync({ value: null })).toBeNull();
    expect(registry.totalCalls()).toBe(0);
  });

  it('reads a missing or null key as null for a key deserializer', async () => {
    const { deserializer } = setup({ isKey: true });
    expect(await deserializer.deserialize({ value: body(ada) })).toBeNull();
    expect(deserializer.deserializeSync({ value: body(ada), key: null })).toBeNull();
  });
});

describe('deserializer > synchronous path', () => {
  it('refuses to decode synchronously before the schema is cached, naming it', () => {
    const { registry, deserializer, id } = setup();
    expect(() => deserializer.deserializeSync({ value: prefixed(id, ada), ...where })).toThrow(
      expect.objectContaining({ code: ErrorCode.NotCached, schemaId: id, ...where }),
    );
    expect(registry.totalCalls()).toBe(0);
  });

  it('decodes synchronously after prepare', async () => {
    const { registry, deserializer, id } = setup();
    expect(await deserializer.prepare({ kind: 'id', id })).toMatchObject({ id, schemaType: 'JSON' });
    const calls = registry.totalCalls();
    expect(deserializer.deserializeSync({ value: prefixed(id, ada) })?.value).toEqual(ada);
    expect(registry.totalCalls()).toBe(calls);
  });

  it('decodes synchronously after one asynchronous deserialize', async () => {
    const { deserializer, id } = setup();
    await deserializer.deserialize({ value: prefixed(id, { name: 'grace' }) });
    expect(deserializer.deserializeSync({ value: prefixed(id, ada) })?.value).toEqual(ada);
  });

  it('decodes a GUID header synchronously after preparing the GUID', async () => {
    const { deserializer, id } = setup();
    await deserializer.prepare({ kind: 'guid', guid: guidOf(id) });
    const read = deserializer.deserializeSync({
      value: body(ada),
      headers: { __value_schema_id: encodeConfluentHeader(guidOf(id)) },
    });
    expect(read?.value).toEqual(ada);
  });

  it('decodes schemaless payloads synchronously with a fallback', () => {
    const { deserializer } = setup({ fallback: 'string' });
    expect(deserializer.deserializeSync({ value: Buffer.from('plain') })?.value).toBe('plain');
  });
});

describe('deserializer > schemaless payloads', () => {
  it('decodes a payload without a schema id as text with the string fallback', async () => {
    const { deserializer } = setup({ fallback: 'string' });
    expect(await deserializer.deserialize({ value: Buffer.from('héllo') })).toEqual({
      schemaId: undefined,
      schemaType: 'STRING',
      subject: undefined,
      version: undefined,
      carrier: undefined,
      value: 'héllo',
    });
  });

  it('decodes a payload without a schema id as JSON with the json fallback', async () => {
    const { deserializer } = setup({ fallback: 'json' });
    expect(await deserializer.deserialize({ value: body(ada) })).toMatchObject({
      schemaType: 'JSON',
      value: ada,
    });
  });

  it('still decodes prefixed payloads with their schema when a fallback is on', async () => {
    const { deserializer, id } = setup({ fallback: 'string' });
    expect(await deserializer.deserialize({ value: prefixed(id, ada) })).toMatchObject({
      schemaId: id,
      value: ada,
    });
  });

  it('rejects text that is not JSON with the json fallback', async () => {
    const { deserializer } = setup({ fallback: 'json' });
    await expect(
      deserializer.deserialize({ value: Buffer.from('not json'), ...where }),
    ).rejects.toMatchObject({
      code: ErrorCode.DeserializationFailed,
      ...where,
    });
  });

  it('quotes text that is not JSON with its control characters escaped, never raw', async () => {
    const { deserializer } = setup({ fallback: 'json' });
    const error = await deserializer.deserialize({ value: Buffer.from('\u001b]0;owned\u0007\u009b2J') }).then(
      () => undefined,
      (failed: unknown) => failed as Error,
    );
    expect(error?.message).toMatch(/^cannot deserialize schemaless payload as json: /);
    expect(escapeControlCharacters(error!.message)).toBe(error!.message);
    expect(error?.message).toContain('\\u001b]0;owned\\u0007\\u009b2J');
  });

  it('names the unknown first byte without a fallback', async () => {
    const { deserializer } = setup();
    await expect(deserializer.deserialize({ value: body(ada), ...where })).rejects.toMatchObject({
      code: ErrorCode.UnknownMagicByte,
      message: expect.stringContaining('first byte is 0x7b'),
      ...where,
    });
  });

  it.each([
    ['an empty payload', Buffer.alloc(0)],
    ['a prefix cut short', Buffer.from('000001', 'hex')],
  ])('rejects %s as an invalid payload without a fallback', async (_name, value) => {
    const { deserializer } = setup();
    await expect(deserializer.deserialize({ value })).rejects.toMatchObject({
      code: ErrorCode.InvalidPayload,
    });
  });
});

describe('deserializer > schemaless payloads > fallbacks', () => {
  // "\xff" in quotes: as UTF-8 text with U+FFFD it would parse as JSON, a string never sent.
  const notUtf8 = Buffer.from([0x22, 0xff, 0x22]);

  it('string: reads UTF-8 text as STRING and other bytes as BYTES, exactly', () => {
    const { deserializer } = setup({ fallback: 'string' });
    expect(deserializer.deserializeSync({ value: Buffer.from('{"a":1}') })).toMatchObject({
      schemaType: 'STRING',
      value: '{"a":1}',
    });
    const read = deserializer.deserializeSync({ value: notUtf8 });
    expect(read).toMatchObject({ schemaType: 'BYTES', schemaId: undefined, carrier: undefined });
    expect(Buffer.from(read?.value as Uint8Array).toString('hex')).toBe('22ff22');
  });

  it('string: gives back any bytes that carry no prefix exactly, as text or as bytes', () => {
    const { deserializer } = setup({ fallback: 'string' });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }).filter((bytes) => bytes[0] !== 0),
        (bytes) => {
          const read = deserializer.deserializeSync({ value: bytes });
          const back = read?.schemaType === 'STRING' ? Buffer.from(read.value as string) : read?.value;
          expect(Buffer.from(back as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
        },
      ),
    );
  });

  it.each([
    ['JSON', Buffer.from('{"id":9223372036854775807}'), { id: 2n ** 63n - 1n }],
    ['JSON', Buffer.from('null'), null],
    ['STRING', Buffer.from('message number 0'), 'message number 0'],
    ['BYTES', notUtf8, notUtf8],
  ])('auto: reads a payload as %s', async (schemaType, value, expected) => {
    const { deserializer } = setup({ fallback: 'auto' });
    const read = await deserializer.deserialize({ value });
    expect(read?.schemaType).toBe(schemaType);
    expect(read?.value).toEqual(expected);
  });

  it('json: rejects bytes that are not UTF-8, though as text with U+FFFD they would parse', () => {
    const { deserializer } = setup({ fallback: 'json' });
    expect(() => deserializer.deserializeSync({ value: notUtf8, ...where })).toThrow(
      expect.objectContaining({
        code: ErrorCode.DeserializationFailed,
        message:
          'cannot deserialize schemaless payload as json: the payload is not UTF-8 text (payload <3 bytes>)',
        ...where,
      }),
    );
  });
});

// A local schema whose values are the body's text and length; its JSON form is the text alone.
const textCodec: SchemaCodec = {
  encode: () => Buffer.alloc(0),
  decode: (payload, offset) => {
    const text = payload.subarray(offset).toString('latin1');
    if (text.startsWith('!')) throw new Error('the body starts with "!"');
    return { text, length: payload.length - offset };
  },
  toJson: (value) => (value as { text: string }).text,
};
const local: SchemalessCodec = { schemaType: 'AVRO', codec: textCodec, source: 'schema file "raw.avsc"' };
const schemaless = (topic: string | undefined) => (topic === 'raw' ? local : undefined);

describe('deserializer > schemaless payloads > per-topic codec', () => {
  it("decodes a payload with no id with its topic's codec, synchronously, and others with the fallback", () => {
    const { deserializer } = setup({ schemaless, fallback: 'string' });
    expect(deserializer.deserializeSync({ value: Buffer.from('\u0001plain'), topic: 'raw' })).toEqual({
      schemaId: undefined,
      schemaType: 'AVRO',
      subject: undefined,
      version: undefined,
      carrier: undefined,
      value: { text: '\u0001plain', length: 6 },
    });
    expect(deserializer.deserializeSync({ value: Buffer.from('plain'), topic: 'other' })).toMatchObject({
      schemaType: 'STRING',
      value: 'plain',
    });
  });

  it('fails as without a fallback for a topic it has no codec for', () => {
    const { deserializer } = setup({ schemaless });
    expect(() => deserializer.deserializeSync({ value: Buffer.from('plain'), topic: 'other' })).toThrow(
      expect.objectContaining({ code: ErrorCode.UnknownMagicByte }),
    );
  });

  it('gives the JSON form with jsonValues', () => {
    const { deserializer } = setup({ schemaless, jsonValues: true });
    expect(deserializer.deserializeSync({ value: Buffer.from('plain'), topic: 'raw' })?.value).toBe('plain');
  });

  it('still decodes a payload that carries an id with its registry schema', async () => {
    const { deserializer, id } = setup({ schemaless });
    expect(await deserializer.deserialize({ value: prefixed(id, ada), topic: 'raw' })).toMatchObject({
      schemaId: id,
      schemaType: 'JSON',
      value: ada,
    });
  });

  it('names the schema and the message of a payload the codec cannot read', () => {
    const { deserializer } = setup({ schemaless });
    const message = { value: Buffer.from('!x'), ...where, topic: 'raw' };
    expect(() => deserializer.deserializeSync(message)).toThrow(
      expect.objectContaining({
        code: ErrorCode.DeserializationFailed,
        message:
          'cannot deserialize schemaless payload with schema file "raw.avsc": the body starts with "!"',
        ...where,
        topic: 'raw',
      }),
    );
  });
});

describe('deserializer > schemaless payloads > carriers', () => {
  it('fails on a malformed schema id header rather than reading the payload without it', () => {
    const { deserializer } = setup({ fallback: 'auto', schemaless: () => local });
    const message = { value: body(ada), headers: { __value_schema_id: Buffer.from([0x07, 1]) }, ...where };
    expect(() => deserializer.deserializeSync(message)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidPayload,
        message: expect.stringMatching(/^cannot read schema id header: 2 bytes starting with 0x07/),
        ...where,
      }),
    );
  });

  it.each([
    ['with a schema id header', true],
    ['with none', false],
  ])(
    'reads the headers of a message %s once, and asks for the schemaless codec at most once',
    async (_name, carried) => {
      let asked = 0;
      const { deserializer, id } = setup({
        fallback: 'auto',
        schemaless: () => {
          asked++;
          return undefined;
        },
      });
      await deserializer.prepare({ kind: 'id', id });
      const reads = new Map<string | symbol, number>();
      const fields = carried ? { __value_schema_id: encodeConfluentHeader(id) } : {};
      const headers = new Proxy(fields, {
        get(target, name, receiver) {
          reads.set(name, (reads.get(name) ?? 0) + 1);
          return Reflect.get(target, name, receiver);
        },
      });
      const read = deserializer.deserializeSync({ value: body(ada), headers });
      expect(read).toMatchObject({ schemaType: 'JSON', schemaId: carried ? id : undefined, value: ada });
      expect(reads.get('__value_schema_id')).toBe(1);
      expect(Math.max(...reads.values())).toBe(1);
      expect(asked).toBe(carried ? 0 : 1);
    },
  );
});

describe('deserializer > errors', () => {
  it('names the topic, partition, offset and schema of a body that does not decode', async () => {
    const { deserializer, id } = setup();
    const value = encodeConfluentPrefix(id, Buffer.from('not json'));
    await expect(deserializer.deserialize({ value, ...where })).rejects.toMatchObject({
      code: ErrorCode.DeserializationFailed,
      schemaId: id,
      ...where,
    });
  });

  it('names the message and schema id of an unknown schema', async () => {
    const { deserializer } = setup();
    await expect(deserializer.deserialize({ value: prefixed(99, ada), ...where })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      registryErrorCode: 40403,
      schemaId: 99,
      ...where,
    });
  });

  it('refuses a schema type no format is configured for', async () => {
    const { registry, deserializer } = setup();
    const { id } = registry.seed('avro-value', { schemaType: 'AVRO', schema: '"string"' });
    await expect(deserializer.deserialize({ value: prefixed(id, 'x'), ...where })).rejects.toMatchObject({
      code: ErrorCode.UnsupportedSchemaType,
      message: expect.stringContaining('"AVRO"'),
      schemaId: id,
      ...where,
    });
  });

  it('surfaces a registry failure as a typed error and does not cache it', async () => {
    const { registry, deserializer, id } = setup();
    registry.failNext('getSchema', registryError(50002, 500, 'operation timed out'));
    const error = await deserializer
      .deserialize({ value: prefixed(id, ada), ...where })
      .catch((e: unknown) => e);
    expect(isSchemaWireError(error, ErrorCode.RegistryUnavailable)).toBe(true);
    expect(error).toMatchObject({ retriable: true, schemaId: id, ...where });
    expect((await deserializer.deserialize({ value: prefixed(id, ada) }))?.value).toEqual(ada);
    expect(registry.calls.getSchema).toBe(2);
  });

  it('hands one registry failure to every waiting message, each with its own context', async () => {
    const { registry, deserializer, id } = setup();
    registry.failNext('getSchema', registryError(undefined, 503, 'service unavailable'));
    const results = await Promise.allSettled(
      ['1', '2', '3'].map((offset) =>
        deserializer.deserialize({ value: prefixed(id, ada), topic: 'orders', offset }),
      ),
    );
    expect(
      results.map((r) => (r.status === 'rejected' ? (r.reason as { offset: string }).offset : 'ok')),
    ).toEqual(['1', '2', '3']);
    expect(registry.calls.getSchema).toBe(1);
  });

  it('wraps a registry client that throws a foreign error in a typed one', async () => {
    const { registry, deserializer, id } = setup();
    registry.getSchema = async () => {
      throw new TypeError('fetch failed');
    };
    const error = await deserializer
      .deserialize({ value: prefixed(id, ada), ...where })
      .catch((e: unknown) => e);
    expect(isSchemaWireError(error)).toBe(true);
    expect(error).toMatchObject({ schemaId: id, ...where, message: expect.stringContaining('fetch failed') });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('adds the message context to a malformed schema id header', async () => {
    const { deserializer } = setup();
    const message = {
      value: body(ada),
      headers: { __value_schema_id: Buffer.from('01ab', 'hex') },
      ...where,
    };
    await expect(deserializer.deserialize(message)).rejects.toMatchObject({
      code: ErrorCode.InvalidPayload,
      ...where,
    });
    expect(() => deserializer.deserializeSync(message)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidPayload, ...where }),
    );
  });
});

describe('deserializer > reader schema', () => {
  const reader: Schema = {
    schemaType: 'JSON',
    schema: testSchema({ name: 'com.example.User', fields: ['name'] }),
  };

  it('decodes with the given reader schema', async () => {
    const { deserializer, id } = setup({ readerSchema: reader });
    expect((await deserializer.deserialize({ value: prefixed(id, ada) }))?.value).toEqual({ name: 'ada' });
  });

  it('picks the reader schema once per writer schema', async () => {
    const seen: RegisteredSchema[] = [];
    const { deserializer, id } = setup({
      readerSchema: (writer) => {
        seen.push(writer);
        return reader;
      },
    });
    await deserializer.deserialize({ value: prefixed(id, ada) });
    await deserializer.deserialize({ value: prefixed(id, ada) });
    expect(seen.map((w) => w.id)).toEqual([id]);
  });

  it("decodes with the writer's schema when the reader schema is of another type or none", async () => {
    const avro = setup({ readerSchema: { schemaType: 'AVRO', schema: '"string"' } });
    expect((await avro.deserializer.deserialize({ value: prefixed(avro.id, ada) }))?.value).toEqual(ada);
    const none = setup({ readerSchema: () => undefined });
    expect((await none.deserializer.deserialize({ value: prefixed(none.id, ada) }))?.value).toEqual(ada);
  });
});

describe('deserializer > schema handles', () => {
  const user = { ...json('com.example.User'), typeName: 'com.example.User' } as const;
  const order = { ...json('com.example.Order', ['id']), typeName: 'com.example.Order' } as const;

  it('names the handle a payload was written with, and none for other schemas', async () => {
    const registry = new InMemoryRegistry();
    const users = registry.seed('users-value', json('com.example.User'));
    const orders = registry.seed('orders-value', json('com.example.Order', ['id']));
    const other = registry.seed('others-value', json('com.example.Other'));
    const deserializer = new Deserializer({ registry, formats: [jsonTestFormat()], schemas: [user, order] });
    const typeNames = await Promise.all(
      [users.id, orders.id, other.id].map(
        async (id) => (await deserializer.deserialize({ value: prefixed(id, ada) }))?.typeName,
      ),
    );
    expect(typeNames).toEqual(['com.example.User', 'com.example.Order', undefined]);
    // Synchronously too, once the schema is cached.
    expect(deserializer.deserializeSync({ value: prefixed(users.id, ada) })?.typeName).toBe(
      'com.example.User',
    );
  });

  it('compares schemas by canonical text, not by their whitespace', async () => {
    const registry = new InMemoryRegistry();
    const spaced = { ...user, schema: JSON.stringify(JSON.parse(user.schema), null, 2) };
    const { id } = registry.seed('users-value', json('com.example.User'));
    const deserializer = new Deserializer({ registry, formats: [jsonTestFormat()], schemas: [spaced] });
    expect((await deserializer.deserialize({ value: prefixed(id, ada) }))?.typeName).toBe('com.example.User');
  });

  it('types no value it returns in JSON form', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('users-value', json('com.example.User'));
    const deserializer = new Deserializer({
      registry,
      formats: [jsonTestFormat()],
      schemas: [user],
      jsonValues: true,
    });
    expect((await deserializer.deserialize({ value: prefixed(id, ada) }))?.typeName).toBeUndefined();
  });

  it('names the message of a Protobuf handle by the message indexes of the payload', async () => {
    const registry = new InMemoryRegistry();
    const schema = testSchema({ messages: { 'pkg.First': [0], 'pkg.Second': [1] } });
    const { id } = registry.seed('orders-value', { schemaType: 'PROTOBUF', schema });
    const second = {
      schemaType: 'PROTOBUF',
      schema,
      typeName: 'pkg.Second',
      messageName: 'pkg.Second',
    } as const;
    const deserializer = new Deserializer({ registry, formats: [protobufTestFormat()], schemas: [second] });
    const read = async (indexes: string) =>
      (
        await deserializer.deserialize({
          value: Buffer.concat([encodeConfluentPrefix(id, Buffer.from(indexes, 'hex')), body(ada)]),
        })
      )?.typeName;
    expect([await read('00'), await read('0202')]).toEqual([undefined, 'pkg.Second']);
  });
});
