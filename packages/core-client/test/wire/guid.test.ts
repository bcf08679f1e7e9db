import { describe, expect, it } from '@jest/globals';
import { ErrorCode, readGuid, writeGuid } from '@schemawire/core-client';
import fc from 'fast-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const GUID = '00112233-4455-6677-8899-aabbccddeeff';

describe('wire > guid > golden bytes', () => {
  it('writes a GUID as its 16 bytes in text order', () => {
    const target = Buffer.alloc(16);
    writeGuid(target, 0, GUID);
    expect(hex(target)).toBe('00112233445566778899aabbccddeeff');
  });

  it('writes at an offset and leaves the bytes around it alone', () => {
    const target = Buffer.alloc(18, 0xee);
    writeGuid(target, 1, GUID);
    expect(hex(target)).toBe('ee00112233445566778899aabbccddeeffee');
  });

  it('reads 16 bytes at an offset as a lower-case GUID', () => {
    const source = Buffer.from('ff00112233445566778899AABBCCDDEEFF', 'hex');
    expect(readGuid(source, 1)).toBe(GUID);
  });

  it('accepts an upper-case GUID and reads it back in lower case', () => {
    const target = Buffer.alloc(16);
    writeGuid(target, 0, GUID.toUpperCase());
    expect(readGuid(target, 0)).toBe(GUID);
  });

  it('reads a GUID from a view into a larger buffer', () => {
    const pool = Buffer.from('ffff00112233445566778899aabbccddeeffff', 'hex');
    expect(readGuid(pool.subarray(2, 18), 0)).toBe(GUID);
  });
});

describe('wire > guid > bad input', () => {
  it.each([
    '',
    '00112233445566778899aabbccddeeff',
    '00112233-4455-6677-8899-aabbccddeef',
    '00112233-4455-6677-8899-aabbccddeeff0',
    '0011223-34455-6677-8899-aabbccddeeff',
    'g0112233-4455-6677-8899-aabbccddeeff',
    '{00112233-4455-6677-8899-aabbccddeeff}',
  ])('refuses to write %j', (guid) => {
    expect(() => writeGuid(Buffer.alloc(16), 0, guid)).toThrow(
      expect.objectContaining({
        code: ErrorCode.SerializationFailed,
        message: expect.stringContaining('is not a GUID'),
      }),
    );
  });

  // Regression: a short view into Node's shared buffer pool read the bytes after it as part of the GUID.
  it.each([
    [15, 0],
    [17, 2],
    [0, 0],
  ])('rejects reading a GUID from %d bytes at offset %d', (length, offset) => {
    const pool = Buffer.alloc(64, 0xab);
    expect(() => readGuid(pool.subarray(0, length), offset)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidPayload }),
    );
  });
});

describe('wire > guid > properties', () => {
  it('round-trips every GUID, in lower case', () => {
    fc.assert(
      fc.property(fc.uuid(), (guid) => {
        const target = Buffer.alloc(16);
        writeGuid(target, 0, guid);
        expect(readGuid(target, 0)).toBe(guid.toLowerCase());
      }),
    );
  });

  it('round-trips every 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (source) => {
        const target = Buffer.alloc(16);
        writeGuid(target, 0, readGuid(source, 0));
        expect(hex(target)).toBe(hex(source));
      }),
    );
  });
});
