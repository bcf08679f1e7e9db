import { describe, expect, it } from '@jest/globals';
import { decimalKeyIdCodec, ErrorCode } from '@schemawire/core-client';
import fc from 'fast-check';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('wire > key carrier > golden bytes', () => {
  it.each([
    [0, '0'],
    [42, '42'],
    [100, '100'],
    [0xffffffff, '4294967295'],
  ])('id %d is the key text %j', (id, expected) => {
    expect(text(decimalKeyIdCodec.encode(id))).toBe(expected);
    expect(decimalKeyIdCodec.decode(Buffer.from(expected, 'utf8'))).toBe(id);
  });

  it('reads a key that is a view into a larger buffer', () => {
    const pool = Buffer.from('xx42yy', 'utf8');
    expect(decimalKeyIdCodec.decode(pool.subarray(2, 4))).toBe(42);
  });
});

describe('wire > key carrier > keys that carry no id', () => {
  it.each([
    ['an empty key', ''],
    ['a leading zero', '042'],
    ['a sign', '-1'],
    ['a plus sign', '+1'],
    ['a fraction', '4.2'],
    ['spaces', ' 42'],
    ['letters', 'user-42'],
    ['a number beyond 32 bits', '4294967296'],
    ['eleven digits', '12345678901'],
    ['non-ASCII digits', '４２'],
  ])('reads %s as no id', (_name, key) => {
    expect(decimalKeyIdCodec.decode(Buffer.from(key, 'utf8'))).toBeUndefined();
  });
});

describe('wire > key carrier > bad ids', () => {
  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses to write the id %d', (id) => {
    expect(() => decimalKeyIdCodec.encode(id)).toThrow(
      expect.objectContaining({ code: ErrorCode.SerializationFailed }),
    );
  });
});

describe('wire > key carrier > properties', () => {
  it('round-trips every 32-bit id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (id) => {
        expect(decimalKeyIdCodec.decode(decimalKeyIdCodec.encode(id))).toBe(id);
      }),
    );
  });

  it('reads any key as an id in range or as no id, and an id only from its own canonical text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 12 }),
          fc.stringMatching(/^[0-9]{1,11}$/).map((s) => Buffer.from(s)),
        ),
        (key) => {
          const id = decimalKeyIdCodec.decode(key);
          if (id !== undefined) {
            expect(Number.isInteger(id) && id >= 0 && id <= 0xffffffff).toBe(true);
            expect(Buffer.from(key).equals(decimalKeyIdCodec.encode(id))).toBe(true);
          }
        },
      ),
    );
  });
});
