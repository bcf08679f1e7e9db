import { describe, expect, it } from '@jest/globals';
import { jsonText, parseJsonExactly, stringifyJsonExactly } from '@schemawire/core-client';
import fc from 'fast-check';

const longs = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

describe('exact json > parse', () => {
  it('keeps integers beyond 2^53 whole, as bigints', () => {
    expect(parseJsonExactly('{"id":9007199254740993,"low":-9223372036854775808,"n":[1,2.5]}')).toEqual({
      id: 9007199254740993n,
      low: -(2n ** 63n),
      n: [1, 2.5],
    });
  });

  it("keeps them as decimal text with longs: 'string'", () => {
    expect(parseJsonExactly('[18446744073709551615, 3]', 'string')).toEqual(['18446744073709551615', 3]);
  });

  it('leaves safe integers, fractions, exponents and digits in strings as JSON.parse has them', () => {
    const text = '{"safe":9007199254740991,"big":12345678901234567.5,"e":1e300,"s":"12345678901234567890"}';

    expect(parseJsonExactly(text)).toEqual(JSON.parse(text));
    expect(parseJsonExactly(text, 'bigint')).toEqual(JSON.parse(text));
  });

  it('finds every integer a number cannot hold, wherever it stands in the text', () => {
    // The reference pays for the reviver on every text.
    const reference = (text: string) =>
      JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
        typeof value === 'number' && !Number.isSafeInteger(value) && /^-?\d+$/.test(context?.source ?? '')
          ? BigInt(context!.source!)
          : value,
      ) as unknown;
    const item = fc.oneof(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
      fc.integer().map(String),
      fc.string({ unit: fc.constantFrom('1', '2', '9', 'a', ' ') }).map((text) => JSON.stringify(text)),
      // Characters of several UTF-8 bytes, between digits.
      fc.string({ unit: fc.constantFrom('1', 'é', '€', '𝟙') }).map((text) => JSON.stringify(text)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.uint8Array({ maxLength: 20 }), (items, frame) => {
        const text = `[${items.join(',')}]`;

        expect(parseJsonExactly(text)).toEqual(reference(text));
        // Scanned in the bytes the text was decoded from, after a frame of any bytes.
        const bytes = Buffer.concat([frame, Buffer.from(text)]);
        expect(parseJsonExactly(text, 'bigint', bytes, frame.length)).toEqual(reference(text));
      }),
    );
  });

  it('throws what JSON.parse throws', () => {
    expect(() => parseJsonExactly('{"id": 12345678901234567890')).toThrow(SyntaxError);
    expect(() => parseJsonExactly('{')).toThrow(SyntaxError);
  });

  it('reads back every long that stringify wrote', () => {
    fc.assert(
      fc.property(longs, (long) => {
        const expected = Number.isSafeInteger(Number(long)) ? Number(long) : long;

        expect(parseJsonExactly(stringifyJsonExactly({ long }) ?? '')).toEqual({ long: expected });
      }),
    );
  });
});

describe('exact json > stringify', () => {
  it('prints bigints as JSON numbers with all their digits', () => {
    expect(stringifyJsonExactly({ id: 2n ** 64n - 1n, list: [-(2n ** 63n)] })).toBe(
      '{"id":18446744073709551615,"list":[-9223372036854775808]}',
    );
  });

  it('is what jsonText prints for values that hold bigints', () => {
    expect(jsonText({ id: 9007199254740993n }, 'cannot test')).toBe('{"id":9007199254740993}');
  });
});
