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

  it('refuses longs beyond 2^53 rather than round them', () => {
    expect(failure(() => long.encode(2 ** 53, 0), ErrorCode.SerializationFailed).message).toBe(
      `cannot serialize value: expected "long", got ${2 ** 53}`,
    );
    expect(
      failure(() => long.decode(referenceLong(2n ** 62n), 0), ErrorCode.DeserializationFailed).message,
    ).toBe('cannot deserialize value: long 4611686018427387904 does not fit a javascript number exactly');
    failure(() => long.decode(referenceLong(-(2n ** 53n)), 0), ErrorCode.DeserializationFailed);
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
