import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SchemaFormats } from '@schemawire/core-client';
import { jsonTestFormat, protobufTestFormat } from './support/test-formats.js';

describe('schema formats > by schema type', () => {
  it('finds each format by its schema type', () => {
    const json = jsonTestFormat();
    const protobuf = protobufTestFormat();
    const formats = new SchemaFormats([json, protobuf]);
    expect(formats.get('JSON')).toBe(json);
    expect(formats.get('PROTOBUF')).toBe(protobuf);
    expect(formats.types()).toEqual(['JSON', 'PROTOBUF']);
  });

  it('takes the last of two formats for one schema type', () => {
    const later = jsonTestFormat();
    expect(new SchemaFormats([jsonTestFormat(), later]).get('JSON')).toBe(later);
  });

  it('refuses a schema type it has no format for, naming those it has', () => {
    const formats = new SchemaFormats([jsonTestFormat(), protobufTestFormat()]);
    expect(() => formats.get('AVRO')).toThrow(
      expect.objectContaining({
        code: ErrorCode.UnsupportedSchemaType,
        message:
          'cannot handle schema type "AVRO": no format for it is configured (configured: JSON, PROTOBUF)',
      }),
    );
  });

  it('says when no format is configured at all', () => {
    expect(() => new SchemaFormats([]).get('JSON')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('(configured: none)') }),
    );
  });
});
