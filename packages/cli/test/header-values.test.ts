import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { parseHeaders, printableHeaders } from '../dist/header-values.js';

describe('cli > header values', () => {
  it('print as UTF-8 text, or as {"base64"} when not UTF-8 text; repeated headers as arrays', () => {
    const headers = {
      origin: Buffer.from('shop'),
      note: Buffer.from('line one\n\tline two'),
      trace: Buffer.from([0xff, 0x00]),
      // UTF-8 by accident: a schema id header's zero bytes are control characters.
      id: Buffer.from([0, 0, 0, 0, 2, 0]),
      tag: [Buffer.from('a'), 'b'],
    };
    expect(printableHeaders(headers)).toEqual({
      origin: 'shop',
      note: 'line one\n\tline two',
      trace: { base64: '/wA=' },
      id: { base64: 'AAAAAAIA' },
      tag: ['a', 'b'],
    });
  });

  it('keep a header named __proto__ as a header', () => {
    const headers = JSON.parse('{"__proto__":"x"}') as Record<string, unknown>;
    const parsed = parseHeaders(headers);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(Object.keys(printableHeaders(parsed))).toEqual(['__proto__']);
  });

  it('read back as the bytes they printed, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.uint8Array()), (values) => {
        const headers = Object.fromEntries(
          Object.entries(values).map(([name, bytes]) => [name, Buffer.from(bytes)]),
        );
        const parsed = parseHeaders(JSON.parse(JSON.stringify(printableHeaders(headers))));
        for (const [name, bytes] of Object.entries(headers)) {
          expect(Buffer.from(parsed[name] as Buffer | string)).toEqual(bytes);
        }
      }),
    );
  });

  it.each([
    ['a string', 'shop'],
    ['a number value', { origin: 1 }],
    ['an object that is not {"base64"}', { origin: { hex: 'ff' } }],
    ['base64 with other members', { origin: { base64: 'AA==', more: 1 } }],
    ['base64 that is not base64', { origin: { base64: '*' } }],
  ])('refuses %s, saying the shape', (_, headers) => {
    expect(() => parseHeaders(headers)).toThrow(
      '"headers" must be an object whose header values are UTF-8 text',
    );
  });
});
