import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { parseHeaders, printableHeaders } from '../dist/header-values.js';

describe('cli > header values', () => {
  it('print as UTF-8 text, or as {"base64"} when not UTF-8; repeated headers as arrays', () => {
    const headers = {
      origin: Buffer.from('shop'),
      trace: Buffer.from([0xff, 0x00]),
      tag: [Buffer.from('a'), 'b'],
    };
    expect(printableHeaders(headers)).toEqual({ origin: 'shop', trace: { base64: '/wA=' }, tag: ['a', 'b'] });
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
