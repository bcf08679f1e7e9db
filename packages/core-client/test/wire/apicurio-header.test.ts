import { describe, expect, it } from '@jest/globals';
import {
  apicurioHeaderNames,
  decodeApicurioId,
  ErrorCode,
  encodeApicurioId,
  isSchemaWireError,
  readApicurioHeaders,
} from '@schemawire/core-client';
import fc from 'fast-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => Buffer.from(text, 'hex');

describe('wire > apicurio header > golden bytes', () => {
  it.each([
    [0, '0000000000000000'],
    [1, '0000000000000001'],
    [256, '0000000000000100'],
    [0x0102030405, '0000000102030405'],
    [Number.MAX_SAFE_INTEGER, '001fffffffffffff'],
  ])('id %d is the 8-byte big-endian long %s', (id, expected) => {
    expect(hex(encodeApicurioId(id))).toBe(expected);
    expect(decodeApicurioId(bytes(expected))).toBe(id);
  });

  it('reads an id that is a view into a larger buffer', () => {
    const pool = bytes('ffff000000000000002aff');
    expect(decodeApicurioId(pool.subarray(2, 10))).toBe(42);
  });
});

describe('wire > apicurio header > header names', () => {
  it('names the value headers', () => {
    expect(apicurioHeaderNames(false)).toEqual({
      globalId: 'apicurio.value.globalId',
      contentId: 'apicurio.value.contentId',
    });
  });

  it('names the key headers', () => {
    expect(apicurioHeaderNames(true)).toEqual({
      globalId: 'apicurio.key.globalId',
      contentId: 'apicurio.key.contentId',
    });
  });
});

describe('wire > apicurio header > reading headers', () => {
  const headers = (entries: Record<string, Buffer>) => (name: string) => entries[name];

  it('prefers the globalId, which names one version, over the contentId', () => {
    const lookup = headers({
      'apicurio.value.contentId': encodeApicurioId(7),
      'apicurio.value.globalId': encodeApicurioId(1007),
    });
    expect(readApicurioHeaders(lookup, false)).toEqual({ kind: 'globalId', globalId: 1007 });
  });

  it('reads the contentId when there is no globalId', () => {
    const lookup = headers({ 'apicurio.value.contentId': encodeApicurioId(7) });
    expect(readApicurioHeaders(lookup, false)).toEqual({ kind: 'contentId', contentId: 7 });
  });

  it('reads the key headers for a key and ignores them for a value', () => {
    const lookup = headers({ 'apicurio.key.contentId': encodeApicurioId(9) });
    expect(readApicurioHeaders(lookup, true)).toEqual({ kind: 'contentId', contentId: 9 });
    expect(readApicurioHeaders(lookup, false)).toBeUndefined();
  });

  it('finds nothing without Apicurio headers', () => {
    expect(readApicurioHeaders(headers({ other: Buffer.from('x') }), false)).toBeUndefined();
  });

  it('rejects a malformed globalId header rather than falling back to the contentId', () => {
    const lookup = headers({
      'apicurio.value.globalId': bytes('0001'),
      'apicurio.value.contentId': encodeApicurioId(7),
    });
    expect(() => readApicurioHeaders(lookup, false)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidPayload }),
    );
  });
});

describe('wire > apicurio header > bad input', () => {
  it.each([
    ['no bytes', ''],
    ['seven bytes', '00000000000001'],
    ['nine bytes', '000000000000000001'],
    ['the decimal text of an id', Buffer.from('42').toString('hex')],
  ])('rejects %s as an invalid payload', (_name, input) => {
    expect(() => decodeApicurioId(bytes(input))).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidPayload,
        message: expect.stringContaining('expected 8'),
      }),
    );
  });

  it.each([
    ['a negative long', 'ffffffffffffffff'],
    ['a long beyond the safe integers', '0020000000000000'],
  ])('rejects %s as out of range', (_name, input) => {
    expect(() => decodeApicurioId(bytes(input))).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidPayload,
        message: expect.stringContaining('out of range'),
      }),
    );
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN])('refuses to write the id %d', (id) => {
    expect(() => encodeApicurioId(id)).toThrow(
      expect.objectContaining({ code: ErrorCode.SerializationFailed }),
    );
  });
});

describe('wire > apicurio header > properties', () => {
  it('round-trips every safe non-negative id', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (id) => {
        const encoded = encodeApicurioId(id);
        expect(encoded.length).toBe(8);
        expect(decodeApicurioId(encoded)).toBe(id);
      }),
    );
  });

  it('reads any bytes as an id or a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10 }), (input) => {
        try {
          const id = decodeApicurioId(input);
          expect(input.length).toBe(8);
          expect(Number.isSafeInteger(id) && id >= 0).toBe(true);
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.InvalidPayload)).toBe(true);
        }
      }),
    );
  });
});
