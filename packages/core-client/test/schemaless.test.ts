import { describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, SchemalessSerializer } from '@schemawire/core-client';
import fc from 'fast-check';
import { InMemoryRegistry } from './support/in-memory-registry.js';
import { jsonTestFormat } from './support/test-formats.js';

const reader = (fallback: 'string' | 'json') =>
  new Deserializer({ registry: new InMemoryRegistry(), formats: [jsonTestFormat()], fallback });

describe('schemaless > string', () => {
  it('writes the seed keyed strings as plain UTF-8, and the string fallback reads them back', async () => {
    const serializer = new SchemalessSerializer('string');
    const { bytes } = serializer.serializeSync('example_topic', 'message number 0');
    expect(bytes?.toString('hex')).toBe(Buffer.from('message number 0').toString('hex'));
    expect(await reader('string').deserialize({ value: bytes })).toMatchObject({
      schemaType: 'STRING',
      schemaId: undefined,
      value: 'message number 0',
    });
  });

  it('refuses a value that is not a string', () => {
    expect(() => new SchemalessSerializer('string').serializeSync('t', 42)).toThrow(
      expect.objectContaining({
        code: ErrorCode.SerializationFailed,
        topic: 't',
        message: expect.stringContaining('42'),
      }),
    );
  });

  it('writes bytes as they are, and the string fallback reads bytes that are not UTF-8 back as BYTES', () => {
    const payload = new Uint8Array([0x01, 0xff, 0x00, 0x41]).subarray(1);
    const { bytes } = new SchemalessSerializer('string').serializeSync('t', payload);
    expect(bytes).toEqual(Buffer.from([0xff, 0x00, 0x41]));
    expect(reader('string').deserializeSync({ value: bytes })).toMatchObject({
      schemaType: 'BYTES',
      value: Buffer.from([0xff, 0x00, 0x41]),
    });
  });

  it('passes null through as a tombstone', async () => {
    expect((await new SchemalessSerializer('string').serialize('t', null)).bytes).toBeNull();
  });

  it('round-trips any text that does not start with the magic byte', () => {
    const deserializer = reader('string');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.startsWith('\u0000')),
        (text) => {
          const { bytes } = new SchemalessSerializer('string').serializeSync('t', text);
          expect(deserializer.deserializeSync({ value: bytes })?.value).toBe(text);
        },
      ),
    );
  });
});

describe('schemaless > json', () => {
  it('writes the seed JSON message as JSON.stringify does, and the json fallback reads it back', async () => {
    const message = { id: 1, name: 'John Doe', age: 30 };
    const { bytes } = await new SchemalessSerializer('json').serialize('example_topic', message);
    expect(bytes?.toString('utf8')).toBe('{"id":1,"name":"John Doe","age":30}');
    expect(await reader('json').deserialize({ value: bytes })).toMatchObject({
      schemaType: 'JSON',
      value: message,
    });
  });

  it('writes bigints as JSON numbers with all their digits, and the json fallback reads them back', async () => {
    const serializer = new SchemalessSerializer('json');
    const value = { id: 2n ** 63n - 1n, low: -(2n ** 63n), near: 2n ** 53n + 1n, small: 7 };
    const { bytes } = serializer.serializeSync('t', value);

    expect(bytes?.toString()).toBe(
      '{"id":9223372036854775807,"low":-9223372036854775808,"near":9007199254740993,"small":7}',
    );
    expect(await reader('json').deserialize({ value: bytes })).toMatchObject({ value });
  });

  it('refuses values with no JSON form', () => {
    const serializer = new SchemalessSerializer('json');
    expect(() => serializer.serializeSync('t', undefined)).toThrow(
      expect.objectContaining({ code: ErrorCode.SerializationFailed }),
    );
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => serializer.serializeSync('t', cyclic)).toThrow(
      expect.objectContaining({ code: ErrorCode.SerializationFailed }),
    );
  });

  it('needs no preparation', async () => {
    await expect(new SchemalessSerializer('json').prepare()).resolves.toBeUndefined();
  });
});
