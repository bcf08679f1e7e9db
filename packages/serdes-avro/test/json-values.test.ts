import { describe, expect, it } from '@jest/globals';
import { ErrorCode, parseJsonExactly, resolvedSchema, stringifyJsonExactly } from '@schemawire/core-client';
import type { JsonUnions } from '@schemawire/serdes-avro';
import { avroFormat } from '@schemawire/serdes-avro';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { jsonValueArbitrary, nameTypes, schemaArbitrary } from './support/json-form-arbitraries.js';

const compile = (schema: unknown) => avroFormat().compile(resolvedSchema('AVRO', JSON.stringify(schema)));

describe('avro > json values', () => {
  it('turns base64 text into bytes and fixed, at any depth, and leaves other values as they are', () => {
    const codec = compile({
      type: 'record',
      name: 'Blob',
      fields: [
        { name: 'data', type: 'bytes' },
        { name: 'byName', type: { type: 'map', values: { type: 'fixed', name: 'Two', size: 2 } } },
        { name: 'maybe', type: ['null', 'bytes'] },
        { name: 'text', type: 'string' },
      ],
    });
    const value = { data: 'AQID', byName: { k: '//8=' }, maybe: 'AA==', text: 'AQID', extra: 1 };
    expect(codec.fromJson!(value)).toEqual({
      data: Buffer.from([1, 2, 3]),
      byName: { k: Buffer.from([255, 255]) },
      maybe: Buffer.from([0]),
      text: 'AQID',
      extra: 1,
    });
    expect(value.data).toBe('AQID');
  });

  it('picks the first union branch the value fits, and keeps text that is not base64', () => {
    const codec = compile(['null', 'string', 'bytes']);
    expect(codec.fromJson!('AQID')).toBe('AQID');
    expect(compile(['null', 'bytes']).fromJson!('not base64!')).toBe('not base64!');
  });

  it('keeps text as text in a union whose bytes branch comes before its string branch', () => {
    const codec = compile(['null', 'bytes', 'string']);
    for (const text of ['user', 'users', '']) expect(codec.fromJson!(text)).toBe(text);
    expect(compile(['null', 'bytes']).fromJson!('dXNlcg==')).toEqual(Buffer.from('user'));
  });

  it('names only the field that is wrong when no union branch takes the value', () => {
    const inner = {
      type: 'record',
      name: 'Inner',
      fields: [
        { name: 'b1', type: 'bytes' },
        { name: 'b2', type: 'bytes' },
        { name: 'count', type: 'int' },
      ],
    };
    const codec = compile({
      type: 'record',
      name: 'Outer',
      fields: [{ name: 'inner', type: ['null', inner] }],
    });
    const value = codec.fromJson!({ inner: { b1: 'AQ==', b2: 'Ag==', count: 'seven' } });
    expect(failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "inner.count" expected "int", got "seven"',
    );
  });

  it('reads a wrapped union by its branch name', () => {
    const record = (name: string) => ({ type: 'record', name, fields: [{ name: 'b', type: 'bytes' }] });
    const codec = compile([record('A'), record('B')]);
    expect(codec.fromJson!({ B: { b: 'AQ==' } })).toEqual({ B: { b: Buffer.from([1]) } });
  });
});

describe('avro > json values > round trip through JSON text', () => {
  // decode -> toJson -> exact JSON text -> parse -> fromJson -> encode writes the bytes decoded.
  const roundTrip = (jsonUnions: JsonUnions, manyBranches: boolean) =>
    fc.assert(
      fc.property(
        schemaArbitrary(2, manyBranches)
          .map(nameTypes)
          .chain((schema) =>
            fc.tuple(fc.constant(schema), jsonValueArbitrary(schema, jsonUnions === 'avro-json')),
          ),
        ([schema, json]) => {
          const codec = avroFormat({ jsonUnions }).compile(resolvedSchema('AVRO', JSON.stringify(schema)));
          const bytes = codec.encode(codec.fromJson!(json), 0);
          const text = stringifyJsonExactly(codec.toJson!(codec.decode(bytes, 0)))!;
          expect(codec.encode(codec.fromJson!(parseJsonExactly(text)), 0)).toEqual(bytes);
        },
      ),
      { numRuns: 300 },
    );

  it('gives the same bytes for every construct, unions in the Avro JSON encoding', () => {
    roundTrip('avro-json', true);
  });

  it('gives the same bytes for every construct, unions of null and a branch unwrapped', () => {
    roundTrip('unwrapped', false);
  });
});

describe('avro > json values > forms', () => {
  const record = (type: unknown) => ({ type: 'record', name: 'R', fields: [{ name: 'v', type }] });
  const printed = (type: unknown, value: unknown, jsonUnions: JsonUnions = 'unwrapped') => {
    const codec = avroFormat({ jsonUnions }).compile(resolvedSchema('AVRO', JSON.stringify(record(type))));
    return stringifyJsonExactly(
      codec.toJson!(codec.decode(codec.encode(codec.fromJson!({ v: value }), 0), 0)),
    );
  };

  it.each([
    [{ type: 'int', logicalType: 'date' }, '2026-12-06', '"2026-12-06"'],
    [{ type: 'int', logicalType: 'date' }, '+010000-01-01', '"+010000-01-01"'],
    [{ type: 'int', logicalType: 'date' }, '-000001-12-31', '"-000001-12-31"'],
    [{ type: 'int', logicalType: 'time-millis' }, '23:59:59.999', '"23:59:59.999"'],
    [{ type: 'int', logicalType: 'time-millis' }, -1, '-1'],
    [{ type: 'long', logicalType: 'time-micros' }, '00:00:00.000001', '"00:00:00.000001"'],
    [
      { type: 'long', logicalType: 'timestamp-millis' },
      '2026-12-06T10:11:12.5+01:00',
      '"2026-12-06T09:11:12.500Z"',
    ],
    [
      { type: 'long', logicalType: 'timestamp-micros' },
      '1600-01-01T00:00:00.000001Z',
      '"1600-01-01T00:00:00.000001Z"',
    ],
    [
      { type: 'long', logicalType: 'timestamp-micros' },
      9_007_199_254_740_993n,
      '"2255-06-05T23:47:34.740993Z"',
    ],
    [
      { type: 'long', logicalType: 'timestamp-nanos' },
      '2262-04-11T23:47:16.854775807Z',
      '"2262-04-11T23:47:16.854775807Z"',
    ],
    [{ type: 'long', logicalType: 'timestamp-nanos' }, -1, '"1969-12-31T23:59:59.999999999Z"'],
    [{ type: 'long', logicalType: 'local-timestamp-millis' }, 0, '"1970-01-01T00:00:00.000"'],
    [
      { type: 'long', logicalType: 'local-timestamp-micros' },
      '2026-12-06T10:11:12.123456',
      '"2026-12-06T10:11:12.123456"',
    ],
    [
      { type: 'long', logicalType: 'local-timestamp-nanos' },
      '2026-12-06T10:11:12.000000001',
      '"2026-12-06T10:11:12.000000001"',
    ],
    [
      { type: 'bytes', logicalType: 'decimal', precision: 30, scale: 3 },
      '-123456789012345678901234567.890',
      '"-123456789012345678901234567.890"',
    ],
    [
      { type: 'string', logicalType: 'uuid' },
      '123e4567-e89b-12d3-a456-426614174000',
      '"123e4567-e89b-12d3-a456-426614174000"',
    ],
    ['bytes', 'AQID', '"AQID"'],
    ['long', 9_223_372_036_854_775_807n, '9223372036854775807'],
    ['double', 'NaN', '"NaN"'],
    ['double', '-Infinity', '"-Infinity"'],
    ['float', -0, '-0'],
  ])('%j: %j prints as %s', (type, value, text) => {
    expect(printed(type, value)).toBe(`{"v":${text}}`);
  });

  it('prints unions as the option says and reads both forms back', () => {
    expect(printed(['null', 'string', 'bytes'], { bytes: 'AQID' }, 'avro-json')).toBe(
      '{"v":{"bytes":"AQID"}}',
    );
    expect(printed(['null', 'string', 'bytes'], { string: 'AQID' }, 'avro-json')).toBe(
      '{"v":{"string":"AQID"}}',
    );
    expect(printed(['null', 'string'], 'x', 'avro-json')).toBe('{"v":{"string":"x"}}');
    expect(printed(['null', 'string'], null, 'avro-json')).toBe('{"v":null}');
    expect(printed(['null', 'string'], 'x')).toBe('{"v":"x"}');
    expect(printed(['null', { type: 'int', logicalType: 'date' }], { int: '2026-12-06' }, 'avro-json')).toBe(
      '{"v":{"int":"2026-12-06"}}',
    );
  });

  it('refuses a time with digits below its unit', () => {
    const codec = compile(record({ type: 'long', logicalType: 'timestamp-nanos' }));
    failure(
      () => codec.encode(codec.fromJson!({ v: '2026-12-06T10:11:12.1234567891Z' }), 0),
      ErrorCode.SerializationFailed,
    );
    const millis = compile(record({ type: 'int', logicalType: 'time-millis' }));
    failure(() => millis.encode(millis.fromJson!({ v: '10:11:12.0001' }), 0), ErrorCode.SerializationFailed);
  });
});
