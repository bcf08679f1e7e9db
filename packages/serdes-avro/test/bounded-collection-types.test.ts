import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();

/** The Avro encoding of a long. */
function long(value: number | bigint): Buffer {
  const big = BigInt(value);
  let zigzag = big < 0n ? -2n * big - 1n : 2n * big;
  const bytes: number[] = [];
  while (zigzag > 0x7fn) {
    bytes.push(Number(zigzag & 0x7fn) | 0x80);
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

const bytes = (...parts: (Buffer | number[])[]) => Buffer.concat(parts.map((part) => Buffer.from(part)));
const string = (text: string) => bytes(long(Buffer.byteLength(text)), Buffer.from(text));

describe('avro > bounded collections > hostile item counts', () => {
  it.each([
    ['a map', { type: 'map', values: 'int' }],
    ['an array', { type: 'array', items: 'string' }],
    ['an array of nulls', { type: 'array', items: 'null' }],
  ])('rejects %s claiming more items than can fit, at once', (_case, schema) => {
    const codec = format.compile(resolvedSchema(schema));

    for (const count of [10_000_000, 2 ** 31, 2n ** 60n]) {
      expect(failure(() => codec.decode(long(count), 0), ErrorCode.DeserializationFailed).message).toBe(
        `cannot deserialize value: invalid block count: ${Number(count)} items cannot fit in the bytes left`,
      );
    }
  });

  it('counts the items of all blocks together', () => {
    const codec = format.compile(resolvedSchema({ type: 'array', items: 'null' }));
    const blocks = bytes(...Array.from({ length: 3 }, () => long(40_000)), long(0));

    expect(failure(() => codec.decode(blocks, 0), ErrorCode.DeserializationFailed).message).toMatch(
      /invalid block count: 80000 items/,
    );
  });

  it('rejects them when a reader schema skips the collection too', () => {
    const writer = resolvedSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'dropped', type: { type: 'map', values: 'int' } },
        { name: 'kept', type: 'int' },
      ],
    });
    const reader = resolvedSchema({ type: 'record', name: 'R', fields: [{ name: 'kept', type: 'int' }] });
    const codec = format.compile(writer, { readerSchema: reader });

    expect(
      failure(() => codec.decode(bytes(long(2n ** 60n), long(1)), 0), ErrorCode.DeserializationFailed)
        .message,
    ).toMatch(/invalid block count/);
    expect(
      failure(() => codec.decode(bytes(long(-1), long(-3), long(1)), 0), ErrorCode.DeserializationFailed)
        .message,
    ).toBe('cannot deserialize value: invalid block size: -3');
  });
});

describe('avro > bounded collections > valid data', () => {
  it('reads arrays of items that take no bytes, beyond one item per byte', () => {
    const codec = format.compile(resolvedSchema({ type: 'array', items: 'null' }));

    expect(codec.decode(bytes(long(1000), long(0)), 0)).toEqual(Array.from({ length: 1000 }, () => null));
  });

  it('reads several blocks, and blocks that carry their size in bytes', () => {
    const codec = format.compile(resolvedSchema({ type: 'array', items: 'string' }));
    const sized = bytes(long(-2), long(4), string('a'), string('b'), long(1), string('c'), long(0));

    expect(codec.decode(sized, 0)).toEqual(['a', 'b', 'c']);
  });

  it('skips sized blocks by their size when a reader schema drops the field', () => {
    const writer = resolvedSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'dropped', type: { type: 'array', items: 'string' } },
        { name: 'kept', type: 'int' },
      ],
    });
    const reader = resolvedSchema({ type: 'record', name: 'R', fields: [{ name: 'kept', type: 'int' }] });
    const codec = format.compile(writer, { readerSchema: reader });
    const payload = bytes(
      long(-2),
      long(4),
      string('a'),
      string('b'),
      long(1),
      string('c'),
      long(0),
      long(7),
    );

    expect(codec.decode(payload, 0)).toEqual({ kept: 7 });
  });

  it('reads maps through a reader schema that promotes their values', () => {
    const codec = format.compile(resolvedSchema({ type: 'map', values: 'int' }), {
      readerSchema: resolvedSchema({ type: 'map', values: 'long' }),
    });

    expect(codec.decode(bytes(long(2), string('a'), long(1), string('b'), long(2), long(0)), 0)).toEqual({
      a: 1,
      b: 2,
    });
  });

  it('reads a "__proto__" key as an entry, not as the prototype', () => {
    const codec = format.compile(resolvedSchema({ type: 'map', values: 'int' }));
    const decoded = codec.decode(bytes(long(1), string('__proto__'), long(5), long(0)), 0) as Record<
      string,
      unknown
    >;

    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toBe(5);
  });
});
