import { describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  encodeConfluentPrefix,
  hasConfluentPrefix,
  isSchemaWireError,
  readConfluentPrefix,
  writeConfluentPrefix,
} from '@schemawire/core-client';
import fc from 'fast-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('wire > confluent prefix > golden bytes', () => {
  it.each([
    [1, '0000000001'],
    [42, '000000002a'],
    [0x01020304, '0001020304'],
    [0xffffffff, '00ffffffff'],
  ])('id %d is written as %s', (id, expected) => {
    const out = Buffer.alloc(5);
    writeConfluentPrefix(out, id);
    expect(hex(out)).toBe(expected);
    expect(readConfluentPrefix(out)).toBe(id);
  });

  it('puts the body after the five prefix bytes', () => {
    expect(hex(encodeConfluentPrefix(7, Buffer.from([0xca, 0xfe])))).toBe('0000000007cafe');
  });
});

describe('wire > confluent prefix > bad input', () => {
  it('names a wrong first byte as an unknown magic byte', () => {
    expect(() => readConfluentPrefix(Buffer.from('{"a":1}'))).toThrow(
      expect.objectContaining({ code: ErrorCode.UnknownMagicByte, message: expect.stringContaining('0x7b') }),
    );
  });

  it('rejects a payload shorter than the prefix', () => {
    expect(() => readConfluentPrefix(Buffer.from([0, 0, 1]))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidPayload }),
    );
    expect(hasConfluentPrefix(Buffer.from([0, 0, 1]))).toBe(false);
  });

  it('refuses to write an id that is not a 32-bit unsigned integer', () => {
    for (const id of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => writeConfluentPrefix(Buffer.alloc(5), id)).toThrow(
        expect.objectContaining({ code: ErrorCode.SerializationFailed }),
      );
    }
  });
});

describe('wire > confluent prefix > properties', () => {
  it('round-trips every id and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array(), (id, body) => {
        const payload = encodeConfluentPrefix(id, body);
        expect(readConfluentPrefix(payload)).toBe(id);
        expect(hex(payload.subarray(5))).toBe(hex(body));
      }),
    );
  });

  it('reads any bytes as an id or a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        try {
          const id = readConfluentPrefix(bytes);
          expect(bytes[0]).toBe(0);
          expect(id).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(isSchemaWireError(error)).toBe(true);
        }
      }),
    );
  });
});
