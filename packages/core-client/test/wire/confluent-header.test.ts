import { describe, expect, it } from '@jest/globals';
import {
  CONFLUENT_HEADER_GUID_VERSION,
  CONFLUENT_HEADER_ID_VERSION,
  CONFLUENT_KEY_SCHEMA_ID_HEADER,
  CONFLUENT_VALUE_SCHEMA_ID_HEADER,
  decodeConfluentHeader,
  ErrorCode,
  encodeConfluentHeader,
  isSchemaWireError,
  readMessageIndexes,
} from '@schemawire/core-client';
import fc from 'fast-check';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => Buffer.from(text.replaceAll(' ', ''), 'hex');

const GUID = '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const GUID_HEX = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('wire > confluent header > names and versions', () => {
  it('uses the Confluent header names and version bytes', () => {
    expect(CONFLUENT_VALUE_SCHEMA_ID_HEADER).toBe('__value_schema_id');
    expect(CONFLUENT_KEY_SCHEMA_ID_HEADER).toBe('__key_schema_id');
    expect(CONFLUENT_HEADER_GUID_VERSION).toBe(0x01);
    expect(CONFLUENT_HEADER_ID_VERSION).toBe(0x00);
  });
});

describe('wire > confluent header > golden bytes', () => {
  it('writes 0x01 and the 16 GUID bytes', () => {
    expect(hex(encodeConfluentHeader(GUID))).toBe(`01${GUID_HEX}`);
  });

  it('writes the message indexes after the GUID', () => {
    expect(hex(encodeConfluentHeader(GUID, [1, 0]))).toBe(`01${GUID_HEX}040200`);
    expect(hex(encodeConfluentHeader(GUID, [0]))).toBe(`01${GUID_HEX}00`);
  });

  it('reads a GUID header and points after the GUID', () => {
    expect(decodeConfluentHeader(bytes(`01${GUID_HEX}`))).toEqual({
      schemaId: { kind: 'guid', guid: GUID },
      offset: 17,
    });
  });

  it('reads a GUID header with message indexes', () => {
    const header = bytes(`01${GUID_HEX}040200`);
    const { schemaId, offset } = decodeConfluentHeader(header);
    expect(schemaId).toEqual({ kind: 'guid', guid: GUID });
    expect(readMessageIndexes(header, offset)).toEqual({ indexes: [1, 0], offset: 20 });
  });

  it('reads the GUID of an upper-case GUID back in lower case', () => {
    const header = encodeConfluentHeader(GUID.toUpperCase());
    expect(decodeConfluentHeader(header).schemaId).toEqual({ kind: 'guid', guid: GUID });
  });

  it.each([
    ['00 0000002a', 42],
    ['00 00000001', 1],
    ['00 ffffffff', 0xffffffff],
  ])('reads the id variant %s as id %d', (input, id) => {
    expect(decodeConfluentHeader(bytes(input))).toEqual({ schemaId: { kind: 'id', id }, offset: 5 });
  });

  it('reads a header that is a view into a larger buffer', () => {
    const pool = bytes(`ffff01${GUID_HEX}ff`);
    const header = pool.subarray(2, 19);
    expect(decodeConfluentHeader(header)).toEqual({ schemaId: { kind: 'guid', guid: GUID }, offset: 17 });
  });
});

describe('wire > confluent header > bad input', () => {
  it.each([
    ['an empty header', '', 'nothing'],
    ['a GUID header one byte short', `01${GUID_HEX.slice(2)}`, '0x01'],
    ['an id header one byte short', '00 000000', '0x00'],
    ['an unknown version', `02${GUID_HEX}`, '0x02'],
    ['a text header', Buffer.from('42').toString('hex'), '0x34'],
  ])('rejects %s as an invalid payload', (_name, input, named) => {
    expect(() => decodeConfluentHeader(bytes(input))).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidPayload,
        message: expect.stringContaining(`starting with ${named}`),
      }),
    );
  });

  it.each(['', 'not-a-guid', GUID.replaceAll('-', ''), `${GUID}0`, GUID.replace('0a', 'g0')])(
    'refuses to write the GUID %j',
    (guid) => {
      expect(() => encodeConfluentHeader(guid)).toThrow(
        expect.objectContaining({ code: ErrorCode.SerializationFailed }),
      );
    },
  );
});

describe('wire > confluent header > properties', () => {
  it('round-trips every GUID and index path', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.option(fc.array(fc.integer({ min: 0, max: 2 ** 20 }), { maxLength: 8 }), { nil: undefined }),
        (guid, indexes) => {
          const header = encodeConfluentHeader(guid, indexes);
          const { schemaId, offset } = decodeConfluentHeader(header);
          expect(schemaId).toEqual({ kind: 'guid', guid: guid.toLowerCase() });
          expect(offset).toBe(17);
          if (indexes === undefined) {
            expect(header.length).toBe(17);
          } else {
            expect(readMessageIndexes(header, offset).indexes).toEqual(indexes.length === 0 ? [0] : indexes);
          }
        },
      ),
    );
  });

  it('reads any bytes as a schema id or a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (input) => {
        try {
          const { schemaId, offset } = decodeConfluentHeader(input);
          expect(offset).toBeLessThanOrEqual(input.length);
          expect(['guid', 'id']).toContain(schemaId.kind);
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.InvalidPayload)).toBe(true);
        }
      }),
    );
  });
});
