import { describe, expect, it } from '@jest/globals';
import type { Longs } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const proto = `syntax = "proto3";
message Row {
  int64 signed = 1;
  sint64 zigzag = 2;
  sfixed64 fixed_signed = 3;
  uint64 unsigned = 4;
  fixed64 fixed_unsigned = 5;
  repeated int64 list = 6;
  map<string, uint64> counts = 7;
  Inner inner = 8;
}
message Inner { int64 at = 1; }`;
const Row = protobuf.parse(proto).root.lookupType('Row');
const compile = (longs?: Longs) =>
  protobufFormat(longs === undefined ? {} : { longs }).compile(resolvedSchema(proto));
const codecs = {
  'number-or-bigint': compile('number-or-bigint'),
  bigint: compile('bigint'),
  string: compile('string'),
} as const;

const INT64_EDGES = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n];
const UINT64_EDGES = [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 0n];
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

/** A long as `number-or-bigint` reads it. */
const numberOrBigint = (long: bigint) => (Number.isSafeInteger(Number(long)) ? Number(long) : long);

function row(signed: bigint, unsigned: bigint) {
  return {
    signed,
    zigzag: signed,
    fixedSigned: signed,
    unsigned,
    fixedUnsigned: unsigned,
    list: [signed],
    counts: { k: unsigned },
    inner: { at: signed },
  };
}

/** `body` as protobufjs reads it, every 64-bit integer as decimal text. */
function readByProtobufjs(body: Buffer): unknown {
  return Row.toObject(Row.decode(body), { longs: String, defaults: true });
}

/** `row` with every long through `as`, as a codec decodes it. */
function decodedRow(signed: bigint, unsigned: bigint, as: (long: bigint) => unknown) {
  const [s, u] = [as(signed), as(unsigned)];
  return {
    signed: s,
    zigzag: s,
    fixedSigned: s,
    unsigned: u,
    fixedUnsigned: u,
    list: [s],
    counts: { k: u },
    inner: { at: s },
  };
}

describe('protobuf > longs', () => {
  it.each(INT64_EDGES.map((signed, i) => [signed, UINT64_EDGES[i] ?? 1n]))(
    'writes %d and %d exactly from bigints and text, as protobufjs reads them, and reads them back in the form of the longs option',
    (signed, unsigned) => {
      const expected = codecs.bigint.encode(row(signed, unsigned), 0);
      const fromText = { ...row(signed, unsigned), signed: signed.toString(), unsigned: unsigned.toString() };

      expect(readByProtobufjs(expected)).toEqual(decodedRow(signed, unsigned, String));
      for (const codec of Object.values(codecs)) {
        expect(codec.encode(row(signed, unsigned), 0).equals(expected)).toBe(true);
        expect(codec.encode(fromText, 0).equals(expected)).toBe(true);
      }
      expect(codecs['number-or-bigint'].decode(expected, 0)).toEqual(
        decodedRow(signed, unsigned, numberOrBigint),
      );
      expect(codecs.bigint.decode(expected, 0)).toEqual(decodedRow(signed, unsigned, (long) => long));
      expect(codecs.string.decode(expected, 0)).toEqual(decodedRow(signed, unsigned, String));
    },
  );

  it('reads decimal text by default, as the proto3 JSON mapping has it', () => {
    const body = compile().encode({ unsigned: 2n ** 64n - 1n }, 0);

    expect(compile().decode(body, 0)).toMatchObject({ unsigned: '18446744073709551615', signed: '0' });
  });

  it('reads unset 64-bit fields as zero in the form of the longs option', () => {
    const empty = Buffer.alloc(0);

    expect(codecs['number-or-bigint'].decode(empty, 0)).toMatchObject({ signed: 0, unsigned: 0 });
    expect(codecs.bigint.decode(empty, 0)).toMatchObject({ signed: 0n, unsigned: 0n });
    expect(codecs.string.decode(empty, 0)).toMatchObject({ signed: '0', unsigned: '0' });
  });

  it('refuses numbers beyond 2^53, which may already be rounded, and values out of range, naming the field', () => {
    const codec = codecs.bigint;
    const message = (value: unknown) =>
      failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message;

    expect(message({ signed: 2 ** 53 })).toBe(
      'cannot serialize value: field "signed": int64 expected, got 9007199254740992',
    );
    expect(message({ signed: 2n ** 63n })).toBe(
      'cannot serialize value: field "signed": int64 expected, got 9223372036854775808n',
    );
    expect(message({ inner: { at: '-9223372036854775809' } })).toBe(
      'cannot serialize value: field "inner.at": int64 expected, got "-9223372036854775809"',
    );
    expect(message({ fixedUnsigned: 2n ** 64n })).toBe(
      'cannot serialize value: field "fixedUnsigned": fixed64 expected, got 18446744073709551616n',
    );
    expect(message({ unsigned: -1n })).toBe(
      'cannot serialize value: field "unsigned": uint64 expected, got -1n',
    );
  });

  it('writes every 64-bit value so that protobufjs reads it, and reads it back exactly in every form', () => {
    fc.assert(
      fc.property(int64, uint64, (signed, unsigned) => {
        const body = codecs.bigint.encode(row(signed, unsigned), 0);

        expect(readByProtobufjs(body)).toEqual(decodedRow(signed, unsigned, String));
        expect(codecs.bigint.decode(body, 0)).toEqual(decodedRow(signed, unsigned, (long) => long));
        expect(codecs['number-or-bigint'].decode(body, 0)).toEqual(
          decodedRow(signed, unsigned, numberOrBigint),
        );
        expect(codecs.string.decode(body, 0)).toEqual(decodedRow(signed, unsigned, String));
      }),
    );
  });
});
