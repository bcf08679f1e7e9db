import { describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  encodeMessageIndexes,
  isSchemaWireError,
  messageIndexesSize,
  readMessageIndexes,
  writeMessageIndexes,
} from '@schemawire/core-client';
import fc from 'fast-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => Buffer.from(text.replaceAll(' ', ''), 'hex');

describe('wire > message indexes > golden bytes', () => {
  it.each([
    [[0], '00'],
    [[], '00'],
    [[1], '02 02'],
    [[1, 0], '04 02 00'],
    [[0, 2], '04 00 04'],
    [[2, 0, 1], '06 04 00 02'],
    // count 4; 5; 64 and 300 take two varint bytes once zig-zagged (128, 600); 1
    [[5, 64, 300, 1], '08 0a 80 01 d8 04 02'],
  ])('%j is written as %s', (indexes, expected) => {
    const encoded = encodeMessageIndexes(indexes);
    expect(hex(encoded)).toBe(expected.replaceAll(' ', ''));
    expect(messageIndexesSize(indexes)).toBe(encoded.length);
  });

  it.each([
    ['00', [0]],
    ['02 00', [0]],
    ['02 02', [1]],
    ['04 02 00', [1, 0]],
    ['04 00 04', [0, 2]],
    ['08 0a 80 01 d8 04 02', [5, 64, 300, 1]],
  ])('%s reads as %j', (input, expected) => {
    const buffer = bytes(input);
    expect(readMessageIndexes(buffer, 0)).toEqual({ indexes: expected, offset: buffer.length });
  });

  it('writes at an offset and returns the offset after the indexes', () => {
    const target = Buffer.alloc(8, 0xff);
    expect(writeMessageIndexes(target, 5, [1, 0])).toBe(8);
    expect(hex(target)).toBe('ffffffffff040200');
  });

  it('reads at an offset and stops where the body starts', () => {
    const payload = bytes('0000000007 04 02 00 7b7d');
    expect(readMessageIndexes(payload, 5)).toEqual({ indexes: [1, 0], offset: 8 });
  });
});

describe('wire > message indexes > bad input', () => {
  it.each([
    ['nothing at all', ''],
    ['a count with no indexes after it', '04'],
    ['a count larger than the indexes that follow', '04 02'],
    ['a count far beyond the bytes left', '7e 00'],
    ['a negative count', '01'],
    ['a negative index', '02 01'],
    ['a varint cut short', '02 80'],
    ['a varint longer than five bytes', 'ff ff ff ff ff 01'],
    ['an over-long count varint', '80 80 80 80 80 80 00'],
  ])('rejects %s as an invalid payload', (_name, input) => {
    expect(() => readMessageIndexes(bytes(input), 0)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidPayload,
        message: expect.stringMatching(/^cannot read message indexes: /),
      }),
    );
  });

  it.each([[[-1]], [[1, -2]], [[1.5]], [[Number.NaN, 1]], [[2 ** 31]]])('refuses to write %j', (indexes) => {
    expect(() => encodeMessageIndexes(indexes)).toThrow(
      expect.objectContaining({ code: ErrorCode.SerializationFailed }),
    );
  });

  it('writes the largest 32-bit index and reads it back', () => {
    const max = 2 ** 31 - 1;
    const encoded = encodeMessageIndexes([1, max]);
    expect(readMessageIndexes(encoded, 0)).toEqual({ indexes: [1, max], offset: encoded.length });
  });
});

describe('wire > message indexes > properties', () => {
  it('round-trips every index path ([] and [0] both read back as [0])', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 20 }), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 4 }),
        (indexes, body) => {
          const encoded = encodeMessageIndexes(indexes);
          expect(encoded.length).toBe(messageIndexesSize(indexes));
          const payload = Buffer.concat([encoded, body]);
          const read = readMessageIndexes(payload, 0);
          expect(read.indexes).toEqual(indexes.length === 0 ? [0] : indexes);
          expect(read.offset).toBe(encoded.length);
        },
      ),
    );
  });

  it('reads any bytes as indexes or a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (input) => {
        try {
          const { indexes, offset } = readMessageIndexes(input, 0);
          expect(indexes.length).toBeGreaterThan(0);
          for (const index of indexes) expect(Number.isSafeInteger(index) && index >= 0).toBe(true);
          expect(offset).toBeGreaterThan(0);
          expect(offset).toBeLessThanOrEqual(input.length);
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.InvalidPayload)).toBe(true);
        }
      }),
    );
  });
});
