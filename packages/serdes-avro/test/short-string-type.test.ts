import { describe, expect, it } from '@jest/globals';
import { ErrorCode, isSchemaWireError } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const string = format.compile(resolvedSchema('"string"'));
const avscString = avsc.Type.forSchema('string');

/** The Avro encoding of a string from its raw bytes: the zigzag varint length, then the bytes. */
function encoded(bytes: readonly number[]): Buffer {
  return Buffer.concat([avsc.Type.forSchema('long').toBuffer(bytes.length), Buffer.from(bytes)]);
}

/** What decoding `bytes` as a string gives: the value, or the code of the failure. */
function outcome(decode: () => unknown): unknown {
  try {
    return { value: decode() };
  } catch (error) {
    return { failed: isSchemaWireError(error) ? error.code : String(error) };
  }
}

/** What avsc's own string type makes of `bytes`, as the codec reports it. */
function avscOutcome(bytes: Buffer): unknown {
  const { value, offset } = avscString.decode(bytes, 0);
  return offset === bytes.length ? { value } : { failed: ErrorCode.DeserializationFailed };
}

describe('avro > short strings', () => {
  it.each([
    ['empty', ''],
    ['one byte', 'a'],
    ['the longest read here', 'sixteen-bytes-ab'],
    ['the shortest left to utf8Slice', 'seventeen-bytes-a'],
    ['two-byte UTF-8', 'héllo'],
    ['three-byte UTF-8', '日本'],
    ['four-byte UTF-8', '😀 ok'],
    ['long ASCII', 'a'.repeat(300)],
  ])('reads a string (%s) as written', (_, text) => {
    expect(string.decode(string.encode(text, 0), 0)).toBe(text);
  });

  it.each([
    [[0xff], 'a byte no UTF-8 text has'],
    [[0x61, 0xc3], 'a sequence cut short'],
    [[0xed, 0xa0, 0x80], 'a lone surrogate'],
  ])('reads invalid UTF-8 (%j, %s) as avsc does, with replacement characters', (bytes) => {
    const body = encoded(bytes);
    expect(string.decode(body, 0)).toBe(avscString.fromBuffer(body));
  });

  it('fails on a negative length and on a length past the end, as avsc does', () => {
    failure(() => string.decode(Buffer.from([0x01]), 0), ErrorCode.DeserializationFailed);
    failure(() => string.decode(Buffer.from([0x08, 0x61]), 0), ErrorCode.DeserializationFailed);
  });

  it('reads any string back as it was written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(string.decode(string.encode(text, 0), 0)).toBe(text);
      }),
    );
  });

  it("reads any bytes of a string's body as avsc's own string type does", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength: 40 }), (bytes) => {
        const body = encoded(bytes);
        expect(string.decode(body, 0)).toBe(avscString.fromBuffer(body));
      }),
    );
  });

  it("decodes any bytes as avsc's own string type does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (array) => {
        const bytes = Buffer.from(array);
        expect(outcome(() => string.decode(bytes, 0))).toEqual(avscOutcome(bytes));
      }),
    );
  });

  it('reads strings the same inside records, unions and map keys', () => {
    const codec = format.compile(
      resolvedSchema({
        type: 'record',
        name: 'Texts',
        fields: [
          { name: 'plain', type: 'string' },
          { name: 'optional', type: ['null', 'string'] },
          { name: 'tagged', type: { type: 'string', logicalType: 'unknown' } },
          { name: 'labels', type: { type: 'map', values: 'string' } },
        ],
      }),
    );
    const value = { plain: 'ascii', optional: 'café', tagged: 'x', labels: { clé: 'valeur', key: 'value' } };

    expect(codec.decode(codec.encode(value, 0), 0)).toEqual(value);
  });
});

describe('avro > short strings > writing', () => {
  const texts = {
    type: 'record',
    name: 'Texts',
    fields: [{ name: 'items', type: { type: 'array', items: 'string' } }],
  };
  const record = avroFormat().compile(resolvedSchema(texts));
  const avscRecord = avsc.Type.forSchema(texts as never);

  it.each([
    ['empty', ''],
    ['the longest written here', 'a'.repeat(63)],
    ['the shortest left to avsc', 'a'.repeat(64)],
    ['ASCII then not', 'abc\u00e9'],
    ['a lone surrogate', 'a\ud800b'],
    ['DEL, the last ASCII', '\u007f'],
  ])('writes a string (%s) as avsc does', (_, text) => {
    expect(string.encode(text, 0)).toEqual(avscString.toBuffer(text));
  });

  it('writes any strings as avsc does, past the scratch buffer too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 70 })), {
          maxLength: 40,
        }),
        (items) => {
          expect(record.encode({ items }, 3).subarray(3)).toEqual(avscRecord.toBuffer({ items }));
        },
      ),
    );
  });

  it('refuses a value that is no string, as avsc does', () => {
    expect(failure(() => string.encode(7, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: expected "string", got 7',
    );
  });
});
