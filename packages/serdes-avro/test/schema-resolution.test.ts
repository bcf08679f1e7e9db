import { describe, expect, it } from '@jest/globals';
import { avroFormat } from '@schemawire/serdes-avro';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const problems = (reader: unknown, writer: unknown) =>
  format.readerIncompatibilities(resolvedSchema(reader), resolvedSchema(writer));

const record = (name: string, fields: readonly object[], extra: object = {}) => ({
  type: 'record',
  name,
  fields,
  ...extra,
});

describe('avro > schema resolution > compatible', () => {
  it.each([
    ['the same schema', record('A', [{ name: 'x', type: 'int' }]), record('A', [{ name: 'x', type: 'int' }])],
    [
      'int read as long, float and double',
      record('A', [{ name: 'x', type: 'double' }]),
      record('A', [{ name: 'x', type: 'int' }]),
    ],
    ['string read as bytes', '"bytes"', '"string"'],
    ['a value read into a union', '["null", "string"]', '"string"'],
    ['a renamed record with an alias', record('B', [], { aliases: ['A'] }), record('A', [])],
    [
      'a record in another namespace',
      record('A', [], { namespace: 'new' }),
      record('A', [], { namespace: 'old' }),
    ],
    [
      'a renamed field with an alias',
      record('A', [{ name: 'y', type: 'int', aliases: ['x'] }]),
      record('A', [{ name: 'x', type: 'int' }]),
    ],
    [
      'a recursive record',
      record('List', [{ name: 'next', type: ['null', 'List'] }]),
      record('List', [{ name: 'next', type: ['null', 'List'] }]),
    ],
  ])('%s', (_case, reader, writer) => {
    expect(problems(reader, writer)).toEqual([]);
  });
});

describe('avro > schema resolution > problems', () => {
  it('lists each problem, naming the field', () => {
    const writer = record('A', [
      { name: 'x', type: 'string' },
      { name: 'y', type: 'long' },
    ]);
    const reader = record('A', [
      { name: 'x', type: 'int' },
      { name: 'y', type: 'int' },
      { name: 'z', type: 'int' },
      { name: 'w', type: 'int', default: 0 },
    ]);

    expect(problems(reader, writer)).toEqual([
      'field "x": writer type "string" cannot be read as "int"',
      'field "y": writer type "long" cannot be read as "int"',
      'field "z" has no default and the writer schema does not have it',
    ]);
  });

  it('names nested fields, array items and map values by their path', () => {
    const address = (zip: string) => ({
      type: 'record',
      name: 'Address',
      fields: [{ name: 'zip', type: zip }],
    });
    const schema = (zip: string, item: string, value: string) =>
      record('Person', [
        { name: 'home', type: address(zip) },
        { name: 'tags', type: { type: 'array', items: item } },
        { name: 'scores', type: { type: 'map', values: value } },
      ]);

    expect(problems(schema('int', 'int', 'int'), schema('string', 'long', 'double'))).toEqual([
      'field "home.zip": writer type "string" cannot be read as "int"',
      'field "tags[]": writer type "long" cannot be read as "int"',
      'field "scores{}": writer type "double" cannot be read as "int"',
    ]);
  });

  it('looks into the reader union branch the writer type was meant for', () => {
    const v1 = record('Box', [
      { name: 'inner', type: ['null', record('Inner', [{ name: 'a', type: 'int' }])] },
    ]);
    const v2 = record('Box', [
      {
        name: 'inner',
        type: [
          'null',
          record('Inner', [
            { name: 'a', type: 'int' },
            { name: 'b', type: 'int' },
          ]),
        ],
      },
    ]);

    expect(problems(v2, v1)).toEqual([
      'field "inner.b" has no default and the writer schema does not have it',
    ]);
  });

  it('names each writer union branch the reader cannot read', () => {
    expect(problems('"string"', '["null", "string", "int"]')).toEqual([
      'writer type "null" cannot be read as "string"',
      'writer type "int" cannot be read as "string"',
    ]);
  });

  it('names the writer enum symbols a reader without default lacks', () => {
    const writer = { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] };
    const reader = { type: 'enum', name: 'Color', symbols: ['RED'] };

    expect(problems(reader, writer)).toEqual([
      'enum "Color" has no default for the writer\'s symbols ["GREEN","BLUE"]',
    ]);
    expect(problems({ ...reader, default: 'RED' }, writer)).toEqual([]);
  });

  it('names records whose names differ', () => {
    expect(problems(record('B', []), record('A', []))).toEqual([
      'record "B" cannot read record "A": no name or alias matches',
    ]);
  });

  it('names fields whose aliases match several writer fields', () => {
    const writer = record('A', [
      { name: 'x', type: 'int' },
      { name: 'y', type: 'int' },
    ]);
    const reader = record('A', [{ name: 'x', type: 'int', aliases: ['y'] }]);

    expect(problems(reader, writer)).toEqual([
      'field "x": its name and aliases match several writer fields ["x","y"]',
    ]);
  });

  it('ends on recursive records', () => {
    const list = (value: string) =>
      record('List', [
        { name: 'value', type: value },
        { name: 'next', type: ['null', 'List'] },
      ]);

    expect(problems(list('int'), list('string'))).toEqual([
      'field "value": writer type "string" cannot be read as "int"',
    ]);
  });
});
