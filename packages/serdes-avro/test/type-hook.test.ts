import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

/** Reads an array of ints as a Set, to put a logical type on a collection. */
class IntSetType extends avsc.types.LogicalType {
  protected override _fromValue(value: number[]): Set<number> {
    return new Set(value);
  }
  protected override _toValue(value: unknown): number[] | undefined {
    return value instanceof Set ? [...value] : undefined;
  }
  protected override _resolve(): undefined {
    return undefined;
  }
}

const format = avroFormat({ logicalTypes: { 'int-set': IntSetType } });

describe('avro > type hook', () => {
  it('builds the logical type around a collection, and the bounded collection under it', () => {
    const codec = format.compile(resolvedSchema({ type: 'array', items: 'int', logicalType: 'int-set' }));

    expect(codec.decode(codec.encode(new Set([1, 2]), 0), 0)).toEqual(new Set([1, 2]));
    expect(
      failure(
        () => codec.decode(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10]), 0),
        ErrorCode.DeserializationFailed,
      ).message,
    ).toMatch(/invalid block count/);
  });

  it('builds an exact long under a logical type', () => {
    const codec = format.compile(resolvedSchema({ type: 'long', logicalType: 'timestamp-micros' }));
    const value = -(2 ** 52) - 1;

    expect(codec.decode(codec.encode(value, 0), 0)).toBe(value);
  });

  it('builds the bounded collection for an unknown logical type, which avsc ignores', () => {
    const codec = format.compile(resolvedSchema({ type: 'map', values: 'int', logicalType: 'unknown' }));

    expect(codec.decode(codec.encode({ a: 1 }, 0), 0)).toEqual({ a: 1 });
    expect(
      failure(
        () => codec.decode(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10]), 0),
        ErrorCode.DeserializationFailed,
      ).message,
    ).toMatch(/invalid block count/);
  });
});
