import { describe, expect, it } from '@jest/globals';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { jsonLine, toPrintable } from '../dist/printable-json.js';

describe('cli > printable json', () => {
  const value = { id: 2n ** 63n - 1n, list: [-(2n ** 63n), 5], at: new Date(0), raw: Buffer.from('hi') };

  it('prints bigints as JSON numbers with all their digits', () => {
    expect(jsonLine(value)).toBe(
      '{"id":9223372036854775807,"list":[-9223372036854775808,5],"at":"1970-01-01T00:00:00.000Z","raw":"aGk="}',
    );
  });

  it('prints them as decimal text when asked', () => {
    expect(jsonLine(value, true)).toBe(
      '{"id":"9223372036854775807","list":["-9223372036854775808",5],"at":"1970-01-01T00:00:00.000Z","raw":"aGk="}',
    );
    expect(toPrintable(new Map([['k', 18446744073709551615n]]), true)).toEqual({ k: '18446744073709551615' });
  });

  it("prints a codec's raw JSON text as it is: Avro's -0.0 stays -0", () => {
    const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };
    expect(jsonLine({ ratio: rawJSON('-0'), id: 2n ** 63n - 1n })).toBe(
      '{"ratio":-0,"id":9223372036854775807}',
    );
    expect(jsonLine([rawJSON('-0')])).toBe('[-0]');
  });

  it('prints a value without bigints as JSON.stringify does', () => {
    const plain = { name: 'Ada', n: 9007199254740991, ratio: 0.5, nested: [{ ok: true }, null] };

    expect(jsonLine(plain)).toBe(JSON.stringify(plain));
    expect(jsonLine(undefined)).toBe('null');
  });
});
