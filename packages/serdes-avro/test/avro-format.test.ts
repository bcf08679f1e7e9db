import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel, ResolvedSchema } from '@schemawire/core-client';
import { checkCompatibility, ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();

function roundTrip(schema: unknown, value: unknown): unknown {
  const codec = format.compile(resolvedSchema(schema));
  return codec.decode(codec.encode(value, 0), 0);
}

describe('avro > format', () => {
  it('is the AVRO format, without message indexes', () => {
    expect(format.schemaType).toBe('AVRO');
    expect(format.usesMessageIndexes).toBe(false);
  });

  it('compiles the example user schema from schemas/user.avsc', () => {
    const text = readFileSync(new URL('../../../schemas/user.avsc', import.meta.url), 'utf8');
    const codec = format.compile(resolvedSchema(text));
    const user = { first_name: 'Ada', last_name: 'Lovelace', age: 36 };

    expect(codec.typeName).toBe('io.schemawire.example.User');
    expect(codec.decode(codec.encode(user, 0), 0)).toEqual(user);
    expect(format.canonicalize(resolvedSchema(text), false)).toBe(
      format.canonicalize(resolvedSchema(JSON.parse(text)), false),
    );
  });
});

describe('avro > format > types', () => {
  it('round-trips a record with nested records, enums and fixed', () => {
    const schema = {
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
        {
          name: 'customer',
          type: { type: 'record', name: 'Customer', fields: [{ name: 'id', type: 'long' }] },
        },
        { name: 'total', type: 'double' },
        { name: 'paid', type: 'boolean' },
      ],
    };
    const order = {
      status: 'PAID',
      hash: Buffer.from('cafebabe', 'hex'),
      customer: { id: 2 ** 40 },
      total: 9.5,
      paid: true,
    };

    expect(roundTrip(schema, order)).toEqual(order);
  });

  it('round-trips arrays and maps', () => {
    const schema = {
      type: 'record',
      name: 'Bag',
      fields: [
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'counts', type: { type: 'map', values: 'int' } },
        { name: 'matrix', type: { type: 'array', items: { type: 'array', items: 'float' } } },
      ],
    };
    const bag = { tags: ['a', 'b'], counts: { x: 1, y: -2 }, matrix: [[1.5], [], [2, 3]] };

    expect(roundTrip(schema, bag)).toEqual(bag);
    expect(roundTrip(schema, { tags: [], counts: {}, matrix: [] })).toEqual({
      tags: [],
      counts: {},
      matrix: [],
    });
  });

  it('takes a nullable field as null or as the value itself', () => {
    const schema = {
      type: 'record',
      name: 'Person',
      fields: [{ name: 'nickname', type: ['null', 'string'], default: null }],
    };

    expect(roundTrip(schema, { nickname: null })).toEqual({ nickname: null });
    expect(roundTrip(schema, { nickname: 'Bob' })).toEqual({ nickname: 'Bob' });
  });

  it('wraps the values of unions whose branches cannot be told apart by value', () => {
    const card = { type: 'record', name: 'Card', fields: [{ name: 'number', type: 'string' }] };
    const iban = { type: 'record', name: 'Iban', fields: [{ name: 'number', type: 'string' }] };
    const schema = { type: 'record', name: 'Payment', fields: [{ name: 'method', type: [card, iban] }] };

    expect(roundTrip(schema, { method: { Iban: { number: 'DE89' } } })).toEqual({
      method: { Iban: { number: 'DE89' } },
    });
  });

  it('reads records as plain data, without avsc record methods', () => {
    const decoded = roundTrip(
      { type: 'record', name: 'Point', fields: [{ name: 'x', type: 'int' }] },
      { x: 1 },
    );

    expect(Object.keys(decoded as object)).toEqual(['x']);
    expect((decoded as { toBuffer?: unknown }).toBuffer).toBeUndefined();
  });

  it('round-trips a schema that is a primitive type', () => {
    expect(roundTrip('"string"', 'hello')).toBe('hello');
    expect(format.compile(resolvedSchema('"string"')).typeName).toBeUndefined();
  });

  it('names the full name of a named top-level type', () => {
    const schema = { type: 'enum', name: 'Color', namespace: 'paint', symbols: ['RED'] };

    expect(format.compile(resolvedSchema(schema)).typeName).toBe('paint.Color');
  });
});

describe('avro > format > references', () => {
  const address = {
    type: 'record',
    name: 'Address',
    namespace: 'io.example',
    fields: [{ name: 'city', type: 'string' }],
  };

  it('resolves a named type from another subject by its full name', () => {
    const person = {
      type: 'record',
      name: 'Person',
      namespace: 'io.example',
      fields: [
        { name: 'home', type: 'io.example.Address' },
        { name: 'work', type: ['null', 'Address'], default: null },
      ],
    };
    const schema = resolvedSchema(person, {
      dependencies: [dependency('io.example.Address', address, 'address')],
    });
    const codec = format.compile(schema);
    const value = { home: { city: 'Oslo' }, work: { city: 'Bergen' } };

    expect(codec.typeName).toBe('io.example.Person');
    expect(codec.decode(codec.encode(value, 0), 0)).toEqual(value);
  });

  it('resolves a chain of references loaded in dependency order', () => {
    const street = {
      type: 'record',
      name: 'Street',
      namespace: 'geo',
      fields: [{ name: 'name', type: 'string' }],
    };
    const place = {
      type: 'record',
      name: 'Place',
      namespace: 'geo',
      fields: [{ name: 'street', type: 'geo.Street' }],
    };
    const trip = {
      type: 'record',
      name: 'Trip',
      namespace: 'travel',
      fields: [{ name: 'stops', type: { type: 'array', items: 'geo.Place' } }],
    };
    const schema = resolvedSchema(trip, {
      dependencies: [dependency('geo.Street', street, 'street'), dependency('geo.Place', place, 'place')],
    });
    const value = { stops: [{ street: { name: 'Main' } }, { street: { name: 'High' } }] };
    const codec = format.compile(schema);

    expect(codec.decode(codec.encode(value, 0), 0)).toEqual(value);
    expect(() => format.validate(schema)).not.toThrow();
  });

  it('fails to parse a schema whose reference is missing', () => {
    const person = { type: 'record', name: 'Person', fields: [{ name: 'home', type: 'io.example.Address' }] };
    const error = failure(() => format.validate(resolvedSchema(person)), ErrorCode.InvalidSchema);

    expect(error.message).toBe('cannot parse avro schema: undefined type name: io.example.Address');
  });

  it('names the reference that does not parse', () => {
    const broken = dependency(
      'io.example.Address',
      { type: 'record', name: 'Address', namespace: 'io.example' },
      'address',
      3,
    );
    const error = failure(
      () => format.validate(resolvedSchema('"string"', { dependencies: [broken] })),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toMatch(
      /^cannot parse avro schema: reference "io\.example\.Address" \(subject "address", version 3\): /,
    );
  });
});

describe('avro > format > validate', () => {
  it.each([
    ['text that is not json', '{"type": "record",', 'invalid json'],
    ['an unknown type', '{"type": "decimal"}', 'unknown type'],
    ['a record without fields', '{"type": "record", "name": "A"}', ''],
    [
      'a duplicate type name',
      JSON.stringify([
        'null',
        { type: 'enum', name: 'E', symbols: ['A'] },
        { type: 'enum', name: 'E', symbols: ['B'] },
      ]),
      'duplicate',
    ],
    ['an enum with a bad symbol', '{"type": "enum", "name": "E", "symbols": ["1st"]}', ''],
  ])('rejects %s', (_case, text, detail) => {
    const { message } = failure(() => format.validate(resolvedSchema(text)), ErrorCode.InvalidSchema);

    expect(message).toMatch(/^cannot parse avro schema: /);
    expect(message).toContain(detail);
  });

  it('rejects an invalid schema at compile time too', () => {
    const { message } = failure(
      () => format.compile(resolvedSchema('{"type": "nope"}')),
      ErrorCode.InvalidSchema,
    );

    expect(message).toBe('cannot parse avro schema: unknown type: "nope"');
  });

  it('accepts a valid schema', () => {
    expect(() => format.validate(resolvedSchema({ type: 'map', values: 'string' }))).not.toThrow();
  });
});

describe('avro > format > canonicalize', () => {
  const compact = '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}';
  const spaced = `{
    "name" : "A",
    "fields": [ { "type": "int", "name": "x" } ],
    "type": "record"
  }`;

  it('ignores whitespace and key order', () => {
    expect(format.canonicalize(resolvedSchema(spaced), false)).toBe(
      format.canonicalize(resolvedSchema(compact), false),
    );
  });

  it('keeps the order of fields, which changes the encoding', () => {
    const swapped = {
      type: 'record',
      name: 'A',
      fields: [
        { name: 'y', type: 'int' },
        { name: 'x', type: 'int' },
      ],
    };
    const ordered = {
      type: 'record',
      name: 'A',
      fields: [
        { name: 'x', type: 'int' },
        { name: 'y', type: 'int' },
      ],
    };

    expect(format.canonicalize(resolvedSchema(swapped), false)).not.toBe(
      format.canonicalize(resolvedSchema(ordered), false),
    );
    expect(format.canonicalize(resolvedSchema(swapped), true)).not.toBe(
      format.canonicalize(resolvedSchema(ordered), true),
    );
  });

  it('tells "string" from {"type":"string"} unless normalizing', () => {
    const bare = resolvedSchema('"string"');
    const wrapped = resolvedSchema('{"type": "string"}');

    expect(format.canonicalize(bare, false)).not.toBe(format.canonicalize(wrapped, false));
    expect(format.canonicalize(bare, true)).toBe(format.canonicalize(wrapped, true));
  });

  it('normalizes names to full names and drops default attributes', () => {
    const short = {
      type: 'record',
      name: 'A',
      namespace: 'n',
      fields: [{ name: 'b', type: { type: 'enum', name: 'B', symbols: ['X'] } }],
    };
    const full = {
      type: 'record',
      name: 'n.A',
      fields: [{ name: 'b', type: { type: 'enum', name: 'n.B', symbols: ['X'] } }],
    };
    const ordered = { ...short, fields: [{ ...short.fields[0], order: 'ascending' }] };

    expect(format.canonicalize(resolvedSchema(short), true)).toBe(
      format.canonicalize(resolvedSchema(full), true),
    );
    expect(format.canonicalize(resolvedSchema(ordered), true)).toBe(
      format.canonicalize(resolvedSchema(full), true),
    );
    expect(format.canonicalize(resolvedSchema(short), false)).not.toBe(
      format.canonicalize(resolvedSchema(full), false),
    );
  });

  it('keeps defaults, docs and logical types when normalizing', () => {
    const base = { type: 'record', name: 'A', fields: [{ name: 'x', type: 'int' }] };
    const variants = [
      { ...base, fields: [{ name: 'x', type: 'int', default: 1 }] },
      { ...base, doc: 'about A' },
      { ...base, fields: [{ name: 'x', type: { type: 'int', logicalType: 'date' } }] },
      { ...base, fields: [{ name: 'x', type: { type: 'int', logicalType: 'my-unknown-type' } }] },
      { ...base, fields: [{ name: 'x', type: { type: 'int', logicalType: 'my-unknown-type', unit: 'm' } }] },
    ];
    const forms = [base, ...variants].map((schema) => format.canonicalize(resolvedSchema(schema), true));

    expect(new Set(forms).size).toBe(forms.length);
  });

  it('normalizes decimals with their precision and a scale of 0 when none is given', () => {
    const noScale = { type: 'bytes', logicalType: 'decimal', precision: 4 };
    const zeroScale = { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 0 };
    const otherPrecision = { type: 'bytes', logicalType: 'decimal', precision: 5 };

    expect(format.canonicalize(resolvedSchema(noScale), true)).toBe(
      format.canonicalize(resolvedSchema(zeroScale), true),
    );
    expect(format.canonicalize(resolvedSchema(noScale), true)).not.toBe(
      format.canonicalize(resolvedSchema(otherPrecision), true),
    );
  });

  it('fails on a schema that is not json', () => {
    const { message } = failure(
      () => format.canonicalize(resolvedSchema('{'), false),
      ErrorCode.InvalidSchema,
    );

    expect(message).toMatch(/^cannot parse avro schema: invalid json: /);
  });
});

describe('avro > format > compatibility levels', () => {
  const record = (fields: readonly object[]) => ({
    type: 'record',
    name: 'User',
    namespace: 'io.example',
    fields,
  });
  const name = { name: 'name', type: 'string' };
  const emailWithDefault = { name: 'email', type: 'string', default: '' };
  const emailRequired = { name: 'email', type: 'string' };
  const versions = (...schemas: object[]): ResolvedSchema[] =>
    schemas.map((schema, index) => resolvedSchema(schema, { id: index + 1, version: index + 1 }));
  const check = (candidate: object, previous: ResolvedSchema[], level: CompatibilityLevel) =>
    checkCompatibility(format, resolvedSchema(candidate, { id: 99 }), previous, level);

  it('BACKWARD: adding a field with a default is compatible', () => {
    expect(check(record([name, emailWithDefault]), versions(record([name])), 'BACKWARD')).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('BACKWARD: adding a field without a default is not', () => {
    const result = check(record([name, emailRequired]), versions(record([name])), 'BACKWARD');

    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual([
      'backward: new schema cannot read data written with version 1: field "email" has no default and the writer schema does not have it',
    ]);
  });

  it('FORWARD: adding a field without a default is compatible, old readers skip it', () => {
    expect(check(record([name, emailRequired]), versions(record([name])), 'FORWARD').compatible).toBe(true);
  });

  it('FORWARD: removing a field old readers need is not', () => {
    const result = check(record([name]), versions(record([name, emailRequired])), 'FORWARD');

    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual([
      'forward: version 1 cannot read data written with the new schema: field "email" has no default and the writer schema does not have it',
    ]);
  });

  it('FULL: a defaulted field may come and go, a required one may not', () => {
    expect(check(record([name, emailWithDefault]), versions(record([name])), 'FULL').compatible).toBe(true);
    expect(check(record([name]), versions(record([name, emailWithDefault])), 'FULL').compatible).toBe(true);
    expect(check(record([name, emailRequired]), versions(record([name])), 'FULL').compatible).toBe(false);
    expect(check(record([name]), versions(record([name, emailRequired])), 'FULL').compatible).toBe(false);
  });

  it('BACKWARD_TRANSITIVE: v3 reads v2 data but not v1 data', () => {
    const previous = versions(record([name]), record([name, emailWithDefault]));
    const v3 = record([name, emailRequired]);

    expect(check(v3, previous, 'BACKWARD').compatible).toBe(true);
    const transitive = check(v3, previous, 'BACKWARD_TRANSITIVE');
    expect(transitive.compatible).toBe(false);
    expect(transitive.messages).toHaveLength(1);
    expect(transitive.messages[0]).toContain('version 1');
  });

  it('FORWARD_TRANSITIVE and FULL_TRANSITIVE check every version', () => {
    const previous = versions(record([name, emailRequired]), record([name, emailWithDefault]));
    const v3 = record([name]);

    expect(check(v3, previous, 'FORWARD').compatible).toBe(true);
    expect(check(v3, previous, 'FORWARD_TRANSITIVE').compatible).toBe(false);
    expect(check(v3, previous, 'FULL').compatible).toBe(true);
    expect(check(v3, previous, 'FULL_TRANSITIVE').compatible).toBe(false);
  });

  it('type promotions are backward compatible only in the widening direction', () => {
    const ints = versions(record([{ name: 'n', type: 'int' }]));
    const longs = record([{ name: 'n', type: 'long' }]);

    expect(check(longs, ints, 'BACKWARD').compatible).toBe(true);
    expect(check(longs, ints, 'FORWARD').messages).toEqual([
      'forward: version 1 cannot read data written with the new schema: field "n": writer type "long" cannot be read as "int"',
    ]);
  });
});

describe('avro > format > property', () => {
  const schema = {
    type: 'record',
    name: 'Sample',
    fields: [
      { name: 'text', type: 'string' },
      { name: 'count', type: 'int' },
      { name: 'total', type: 'long' },
      { name: 'ratio', type: 'double' },
      { name: 'single', type: 'float' },
      { name: 'flag', type: 'boolean' },
      { name: 'raw', type: 'bytes' },
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'scores', type: { type: 'map', values: 'int' } },
      { name: 'note', type: ['null', 'string'] },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    ],
  };
  const sample = fc.record({
    text: fc.string({ unit: 'grapheme' }),
    count: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    // A long comes back a number where a number holds it exactly, else a bigint.
    total: fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((long) => (Number.isSafeInteger(Number(long)) ? Number(long) : long)),
    ratio: fc.double(),
    single: fc.float(),
    flag: fc.boolean(),
    raw: fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
    color: fc.constantFrom('RED', 'GREEN', 'BLUE'),
    tags: fc.array(fc.string()),
    scores: fc.dictionary(fc.string(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    note: fc.option(fc.string(), { nil: null }),
    at: fc.date({ noInvalidDate: true }),
    id: fc.uuid(),
  });

  it('round-trips any valid record', () => {
    const codec = format.compile(resolvedSchema(schema));
    fc.assert(
      fc.property(sample, fc.nat({ max: 8 }), (value, headroom) => {
        expect(codec.decode(codec.encode(value, headroom), headroom)).toEqual(value);
      }),
    );
  });
});
