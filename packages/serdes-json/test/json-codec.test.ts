import { describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  escapeControlCharacters,
  isSchemaWireError,
  parseJsonExactly,
} from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { myJsonMessage, resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const codec = format.compile(resolvedSchema(myJsonMessage));
const anything = format.compile(resolvedSchema(true));

describe('json > codec > encode', () => {
  it('gives every body bytes of its own, however many are written and kept', () => {
    // Small bodies share slabs; large ones (over 4 KiB at three bytes a character) do not.
    const text = fc.string({ unit: 'grapheme', maxLength: 2000 });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.nat(8)), { maxLength: 40 }), (items) => {
        const bodies = items.map(([name, headroom]) => {
          const body = anything.encode({ name }, headroom);
          body.fill(0xee, 0, headroom);
          return body;
        });
        items.forEach(([name, headroom], i) => {
          const body = bodies[i]!;
          expect(body.subarray(0, headroom).every((byte) => byte === 0xee)).toBe(true);
          expect(anything.decode(body, headroom)).toEqual({ name });
        });
      }),
    );
  });

  it('writes the UTF-8 JSON text after the headroom, in a buffer of exactly that size', () => {
    const body = codec.encode({ id: 1, name: 'Zoë' }, 5);
    const text = '{"id":1,"name":"Zoë"}';

    expect(body.length).toBe(5 + Buffer.byteLength(text));
    expect(body.subarray(5).toString('utf8')).toBe(text);
  });

  it('writes what JSON.stringify writes, for any value a permissive schema accepts', () => {
    expect(anything.encode([1, 'two', null, { three: true }], 0).toString()).toBe(
      '[1,"two",null,{"three":true}]',
    );
    expect(anything.encode('text', 0).toString()).toBe('"text"');
  });

  it('names the path and the problem of a value the schema refuses', () => {
    const error = failure(() => codec.encode({ id: 1, age: 'thirty' }, 0), ErrorCode.SerializationFailed);

    expect(error.message).toBe('cannot serialize value: "/age" must be integer, got "thirty"');
  });

  it('names a missing required property and a property the schema does not allow', () => {
    expect(failure(() => codec.encode({ name: 'x' }, 0), ErrorCode.SerializationFailed).message).toBe(
      `cannot serialize value: "/" must have required property 'id'`,
    );
    expect(failure(() => codec.encode({ id: 1, extra: 2 }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: "/" must NOT have additional properties: "extra"',
    );
  });

  it('names the path of a nested value inside arrays and objects', () => {
    const schema = {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'object', properties: { n: { type: 'number' } } } },
      },
    };
    const nested = format.compile(resolvedSchema(schema));

    expect(
      failure(() => nested.encode({ tags: [{ n: 1 }, { n: 'x' }] }, 0), ErrorCode.SerializationFailed)
        .message,
    ).toBe('cannot serialize value: "/tags/1/n" must be number, got "x"');
  });

  it('refuses NaN and Infinity, which JSON would turn into null', () => {
    const numbers = format.compile(resolvedSchema({ type: 'number' }));

    expect(failure(() => numbers.encode(Number.NaN, 0), ErrorCode.SerializationFailed).message).toContain(
      'must be number',
    );
    expect(() => numbers.encode(Number.POSITIVE_INFINITY, 0)).toThrow('must be number');
  });

  it('refuses values that have no JSON form when validation is off', () => {
    const unchecked = jsonSchemaFormat({ validateOnSerialize: false }).compile(resolvedSchema(true));
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;

    expect(failure(() => unchecked.encode(cyclic, 0), ErrorCode.SerializationFailed).message).toMatch(
      /^cannot serialize value: .*circular/i,
    );
    expect(failure(() => unchecked.encode(undefined, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: undefined has no json form',
    );
  });

  it('writes values the schema refuses when validateOnSerialize is off', () => {
    const unchecked = jsonSchemaFormat({ validateOnSerialize: false }).compile(resolvedSchema(myJsonMessage));

    expect(unchecked.encode({ id: 'not a number' }, 0).toString()).toBe('{"id":"not a number"}');
  });
});

describe('json > codec > decode', () => {
  it('reads the JSON text from the offset to the end', () => {
    const payload = Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from('{"id":7,"name":"Zoë"}')]);

    expect(codec.decode(payload, 5)).toEqual({ id: 7, name: 'Zoë' });
  });

  it('does not validate by default', () => {
    expect(codec.decode(Buffer.from('{"id":"seven"}'), 0)).toEqual({ id: 'seven' });
  });

  it('names the path of an invalid value when validateOnDeserialize is on', () => {
    const checked = jsonSchemaFormat({ validateOnDeserialize: true }).compile(resolvedSchema(myJsonMessage));
    const error = failure(
      () => checked.decode(Buffer.from('{"id":7,"age":1.5}'), 0),
      ErrorCode.DeserializationFailed,
    );

    expect(error.message).toBe('cannot deserialize value: "/age" must be integer, got 1.5');
    expect(checked.decode(Buffer.from('{"id":7,"age":15}'), 0)).toEqual({ id: 7, age: 15 });
  });

  it('reads a body that starts with a byte order mark', () => {
    expect(anything.decode(Buffer.from('\uFEFF{"a":1}'), 0)).toEqual({ a: 1 });
    expect(anything.decode(Buffer.from('xx\uFEFF[2]'), 2)).toEqual([2]);
  });

  it('reads text that holds the replacement character itself', () => {
    expect(anything.decode(Buffer.from('"a\uFFFDb"'), 0)).toBe('a\uFFFDb');
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = failure(
      () => codec.decode(Buffer.from([0x22, 0xff, 0x22]), 0),
      ErrorCode.DeserializationFailed,
    );

    expect(error.message).toBe('cannot deserialize value: the body is not valid utf-8');
  });

  it('refuses text that is not JSON, and an empty body', () => {
    expect(
      failure(() => codec.decode(Buffer.from('{"id":'), 0), ErrorCode.DeserializationFailed).message,
    ).toMatch(/^cannot deserialize value: the body is not json: /);
    expect(failure(() => codec.decode(Buffer.alloc(5), 5), ErrorCode.DeserializationFailed).message).toMatch(
      /^cannot deserialize value: the body is not json: /,
    );
  });

  it('quotes a body that is not JSON with its control characters escaped, never raw', () => {
    const { message } = failure(
      () => codec.decode(Buffer.from('\u001b[2J\u202egarbage'), 0),
      ErrorCode.DeserializationFailed,
    );
    expect(message).toMatch(/^cannot deserialize value: the body is not json: /);
    expect(escapeControlCharacters(message)).toBe(message);
    expect(message).toContain('\\u001b[2J\\u202egarbage');
  });

  it('refuses an offset outside the payload', () => {
    expect(failure(() => codec.decode(Buffer.from('{}'), 3), ErrorCode.DeserializationFailed).message).toBe(
      'cannot deserialize value: offset 3 is outside the 2-byte payload',
    );
    failure(() => codec.decode(Buffer.from('{}'), -1), ErrorCode.DeserializationFailed);
  });

  it('keeps a "__proto__" key as a property, not a prototype', () => {
    const value = anything.decode(Buffer.from('{"__proto__":{"polluted":true}}'), 0) as Record<
      string,
      unknown
    >;

    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

const LONG_EDGES = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 64n - 1n];
/** An integer of 64 bits as the codec reads it: a number where a number holds it exactly, else a bigint. */
const long = fc
  .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
  .map((value) => (Number.isSafeInteger(Number(value)) ? Number(value) : value));

describe('json > codec > longs', () => {
  const checked = jsonSchemaFormat({ validateOnDeserialize: true });
  const strict = checked.compile(resolvedSchema(myJsonMessage));

  it.each(LONG_EDGES)('writes %d as a JSON number with all its digits and reads it back a bigint', (id) => {
    const body = strict.encode({ id }, 0);

    expect(body.toString()).toBe(`{"id":${id}}`);
    expect(strict.decode(body, 0)).toEqual({ id });
    expect(codec.decode(body, 0)).toEqual({ id });
  });

  it("reads integers beyond 2^53 as decimal text with longs: 'string', checked or not", () => {
    const body = Buffer.from('{"id":9007199254740993,"age":7,"name":"12345678901234567"}');
    const expected = { id: '9007199254740993', age: 7, name: '12345678901234567' };

    for (const options of [{}, { validateOnDeserialize: true }]) {
      const texts = jsonSchemaFormat({ ...options, longs: 'string' }).compile(resolvedSchema(myJsonMessage));
      expect(texts.decode(body, 0)).toEqual(expected);
    }
  });

  it('reads safe integers as numbers whatever the longs option', () => {
    const bigints = jsonSchemaFormat({ longs: 'bigint' }).compile(resolvedSchema(myJsonMessage));

    expect(bigints.decode(Buffer.from('{"id":9007199254740991}'), 0)).toEqual({ id: 9007199254740991 });
  });

  it('checks bigints against the schema as the numbers they are', () => {
    const bounded = format.compile(
      resolvedSchema({ type: 'object', properties: { id: { type: 'integer', minimum: 0 } } }),
    );

    expect(bounded.encode({ id: 2n ** 63n }, 0).toString()).toBe('{"id":9223372036854775808}');
    expect(
      failure(() => bounded.encode({ id: -(2n ** 63n) }, 0), ErrorCode.SerializationFailed).message,
    ).toBe('cannot serialize value: "/id" must be >= 0, got -9223372036854775808n');
    expect(failure(() => bounded.encode({ id: '5' }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: "/id" must be integer, got "5"',
    );
  });
});

describe('json > codec > properties', () => {
  const message = fc.record(
    { id: long, name: fc.string(), age: fc.integer({ min: 0, max: 150 }) },
    { requiredKeys: ['id'] },
  );
  const checked = jsonSchemaFormat({ validateOnDeserialize: true });

  it('round-trips every valid message through encode and decode', () => {
    const strict = checked.compile(resolvedSchema(myJsonMessage));
    fc.assert(
      fc.property(message, fc.nat(8), (value, headroom) => {
        expect(strict.decode(strict.encode(value, headroom), headroom)).toEqual(value);
      }),
    );
  });

  it('round-trips every JSON value through a schema that accepts anything', () => {
    fc.assert(
      fc.property(
        // Read as the codec reads: integers a number cannot hold exactly as bigints.
        fc.json().map((text) => parseJsonExactly(text)),
        (value) => {
          expect(anything.decode(anything.encode(value, 0), 0)).toEqual(value);
        },
      ),
    );
  });

  it('reads any bytes as a value or a typed error, never another exception', () => {
    const strict = checked.compile(resolvedSchema(myJsonMessage));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array(),
          fc.json().map((text) => new TextEncoder().encode(text)),
        ),
        (bytes) => {
          for (const target of [codec, strict]) {
            try {
              target.decode(Buffer.from(bytes), 0);
            } catch (error) {
              expect(isSchemaWireError(error, ErrorCode.DeserializationFailed)).toBe(true);
            }
          }
        },
      ),
    );
  });
});
