import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const long = format.compile(resolvedSchema('"long"'));

/** The Avro encoding of a long, computed exactly: zigzag, then 7 bits per byte, low bits first. */
function referenceLong(value: bigint): Buffer {
  let zigzag = value < 0n ? -2n * value - 1n : 2n * value;
  const bytes: number[] = [];
  while (zigzag > 0x7fn) {
    bytes.push(Number(zigzag & 0x7fn) | 0x80);
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

describe('avro > exact long', () => {
  it.each([
    0,
    -1,
    1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 52,
    -(2 ** 52),
    -(2 ** 52) - 1,
    -(2 ** 52) - 3,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ])('writes %d as the Avro encoding and reads it back', (value) => {
    expect(long.encode(value, 0)).toEqual(referenceLong(BigInt(value)));
    expect(long.decode(referenceLong(BigInt(value)), 0)).toBe(value);
  });

  it('keeps negative longs below -2^52 (avsc writes -(2^52 + 1) as 2^52)', () => {
    const value = -(2 ** 52) - 1;

    expect(long.decode(long.encode(value, 0), 0)).toBe(value);
  });

  it('keeps them exact inside records, unions and logical types', () => {
    const schema = {
      type: 'record',
      name: 'Sample',
      fields: [
        { name: 'plain', type: 'long' },
        { name: 'optional', type: ['null', 'long'] },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'list', type: { type: 'array', items: 'long' } },
      ],
    };
    const codec = format.compile(resolvedSchema(schema));
    const value = {
      plain: -(2 ** 52) - 5,
      optional: -(2 ** 52) - 7,
      at: -(2 ** 52) - 9,
      list: [-(2 ** 52) - 11],
    };

    expect(codec.decode(codec.encode(value, 0), 0)).toEqual(value);
  });

  it('refuses numbers beyond 2^53, which may already be rounded, and longs beyond 64 bits', () => {
    expect(failure(() => long.encode(2 ** 53, 0), ErrorCode.SerializationFailed).message).toBe(
      `cannot serialize value: expected "long", got ${2 ** 53}`,
    );
    expect(failure(() => long.encode(2n ** 63n, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: expected "long", got 9223372036854775808n',
    );
    failure(() => long.encode(-(2n ** 63n) - 1n, 0), ErrorCode.SerializationFailed);
    failure(() => long.encode('9223372036854775808', 0), ErrorCode.SerializationFailed);
    failure(() => long.encode('12a', 0), ErrorCode.SerializationFailed);
    failure(() => long.encode('1'.repeat(400), 0), ErrorCode.SerializationFailed);
  });

  it('names the field of a long out of range', () => {
    const codec = format.compile(
      resolvedSchema({ type: 'record', name: 'Row', fields: [{ name: 'id', type: 'long' }] }),
    );

    expect(failure(() => codec.encode({ id: 2n ** 64n }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "id" expected "long", got 18446744073709551616n',
    );
  });

  it('rejects a varint longer than a long can be', () => {
    const tooLong = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);

    expect(failure(() => long.decode(tooLong, 0), ErrorCode.DeserializationFailed).message).toBe(
      'cannot deserialize value: invalid long: 11 varint bytes',
    );
  });

  it('reads ints written by an older schema as longs', () => {
    const codec = format.compile(resolvedSchema('"int"'), { readerSchema: resolvedSchema('"long"') });

    expect(codec.decode(referenceLong(-5n), 0)).toBe(-5);
  });

  it('encodes every safe integer as the Avro encoding and reads it back', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        expect(long.encode(value, 0)).toEqual(referenceLong(BigInt(value)));
        expect(long.decode(referenceLong(BigInt(value)), 0)).toBe(value);
      }),
    );
  });
});

const EDGES = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 53n, 0n, -1n];

describe('avro > exact long > beyond 2^53', () => {
  const bigints = avroFormat({ longs: 'bigint' }).compile(resolvedSchema('"long"'));
  const texts = avroFormat({ longs: 'string' }).compile(resolvedSchema('"long"'));

  it.each(EDGES)('writes %d from a bigint or decimal text, exactly', (value) => {
    expect(long.encode(value, 0)).toEqual(referenceLong(value));
    expect(long.encode(value.toString(), 0)).toEqual(referenceLong(value));
  });

  it.each(EDGES)('reads %d as a number where one holds it, else as a bigint', (value) => {
    const decoded = long.decode(referenceLong(value), 0);

    expect(decoded).toBe(Number.isSafeInteger(Number(value)) ? Number(value) : value);
  });

  it.each(EDGES)("reads %d as a bigint with longs: 'bigint', as text with longs: 'string'", (value) => {
    expect(bigints.decode(referenceLong(value), 0)).toBe(value);
    expect(texts.decode(referenceLong(value), 0)).toBe(value.toString());
  });

  it('takes bigints and decimal text in unions, where no string branch takes the text', () => {
    const optional = format.compile(resolvedSchema(['null', 'long']));
    const either = format.compile(resolvedSchema(['string', 'long']));
    const big = 2n ** 63n - 1n;

    expect(optional.decode(optional.encode(big, 0), 0)).toBe(big);
    expect(optional.decode(optional.encode(big.toString(), 0), 0)).toBe(big);
    expect(optional.decode(optional.encode(null, 0), 0)).toBeNull();
    expect(either.decode(either.encode(big, 0), 0)).toBe(big);
    expect(either.decode(either.encode(big.toString(), 0), 0)).toBe(big.toString());
  });

  it('leaves text to a bytes branch, and bigints and text to a logical branch that takes them', () => {
    const blob = format.compile(resolvedSchema(['null', 'bytes', 'long']));
    const decimal = { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 };
    const amount = format.compile(resolvedSchema(['null', 'long', decimal]));

    expect(blob.decode(blob.encode(blob.fromJson!('1234'), 0), 0)).toEqual(Buffer.from('1234', 'base64'));
    expect(amount.decode(amount.encode(12n, 0), 0)).toBe('12.00');
  });

  it('keeps longs under a logical type as the logical type has them', () => {
    const codec = avroFormat({ longs: 'string' }).compile(
      resolvedSchema({ type: 'long', logicalType: 'timestamp-micros' }),
    );

    expect(codec.decode(codec.encode(1_700_000_000_000_000, 0), 0)).toBe(1_700_000_000_000_000);
  });

  it('reads ints written by an older schema in the form of the longs option', () => {
    const compile = (longs: 'bigint' | 'string') =>
      avroFormat({ longs }).compile(resolvedSchema('"int"'), { readerSchema: resolvedSchema('"long"') });

    expect(compile('bigint').decode(referenceLong(-5n), 0)).toBe(-5n);
    expect(compile('string').decode(referenceLong(-5n), 0)).toBe('-5');
  });

  it('writes every long as the Avro encoding and reads it back exactly in every form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const bytes = referenceLong(value);

        expect(long.encode(value, 0)).toEqual(bytes);
        expect(BigInt(long.decode(bytes, 0) as number | bigint)).toBe(value);
        expect(bigints.decode(bigints.encode(value, 0), 0)).toBe(value);
        expect(texts.decode(texts.encode(value.toString(), 0), 0)).toBe(value.toString());
      }),
    );
  });
});
