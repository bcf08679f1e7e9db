import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel } from '@schemawire/core-client';
import { checkCompatibility } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { myJsonMessage, resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();

/** The messages of checking `next` against `previous` (version 1) at `level`. */
function check(next: unknown, previous: unknown, level: CompatibilityLevel = 'BACKWARD'): readonly string[] {
  return checkCompatibility(format, resolvedSchema(next), [resolvedSchema(previous, { version: 1 })], level)
    .messages;
}

/** What stops `reader` from reading data written with `writer`. */
function problems(reader: unknown, writer: unknown): string[] {
  return format.readerIncompatibilities(resolvedSchema(reader), resolvedSchema(writer));
}

const object = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra });
const closed = (properties: object, extra: object = {}) =>
  object(properties, { additionalProperties: false, ...extra });
const withProperties = (properties: object, extra: object = {}) => ({
  ...myJsonMessage,
  properties: { ...(myJsonMessage['properties'] as object), ...properties },
  ...extra,
});

describe('json > compatibility > through checkCompatibility', () => {
  it('finds the seed message compatible with itself at every level', () => {
    for (const level of ['BACKWARD', 'FORWARD', 'FULL', 'FULL_TRANSITIVE'] as const) {
      expect(check(myJsonMessage, myJsonMessage, level)).toEqual([]);
    }
  });

  it('refuses an added required property backward, naming the version and the path', () => {
    const next = withProperties({ email: { type: 'string' } }, { required: ['id', 'email'] });

    expect(check(next, myJsonMessage)).toEqual([
      'backward: new schema cannot read data written with version 1: "/email": required by the reader, but the writer does not always write it',
    ]);
  });

  it('accepts an optional property added to a closed content model backward, not forward', () => {
    const next = withProperties({ email: { type: 'string' } });

    expect(check(next, myJsonMessage, 'BACKWARD')).toEqual([]);
    expect(check(next, myJsonMessage, 'FORWARD')).toEqual([
      'forward: version 1 cannot read data written with the new schema: "/email": removed from a closed content model, but the writer may write it',
    ]);
  });

  it('checks every version with the transitive levels, the latest only without', () => {
    const v1 = closed({ id: { type: 'integer' } });
    const v2 = object({ id: { type: 'integer' } });
    const v3 = object({ id: { type: 'integer' }, name: { type: 'string' } }, { required: ['name'] });
    const versions = [resolvedSchema(v1, { version: 1 }), resolvedSchema(v2, { version: 2 })];

    expect(checkCompatibility(format, resolvedSchema(v3), versions, 'BACKWARD').messages).toEqual([
      'backward: new schema cannot read data written with version 2: "/name": required by the reader, but the writer does not always write it',
      'backward: new schema cannot read data written with version 2: "/name": added to an open content model: the writer may write it with any value',
    ]);
    expect(
      checkCompatibility(format, resolvedSchema(v3), versions, 'BACKWARD_TRANSITIVE').messages,
    ).toHaveLength(3);
  });
});

describe('json > compatibility > content models', () => {
  it('refuses a property removed from a closed content model that the writer may write', () => {
    expect(
      problems(
        closed({ id: { type: 'integer' } }),
        closed({ id: { type: 'integer' }, name: { type: 'string' } }),
      ),
    ).toEqual(['"/name": removed from a closed content model, but the writer may write it']);
  });

  it('accepts a property removed from an open content model', () => {
    expect(
      problems(
        object({ id: { type: 'integer' } }),
        object({ id: { type: 'integer' }, name: { type: 'string' } }),
      ),
    ).toEqual([]);
  });

  it('accepts a removed property the writer declared false, as it never writes it', () => {
    expect(
      problems(closed({ id: { type: 'integer' } }), closed({ id: { type: 'integer' }, name: false })),
    ).toEqual([]);
  });

  it('refuses a property added to an open content model, which the writer may write with any value', () => {
    expect(
      problems(
        object({ id: { type: 'integer' }, name: { type: 'string' } }),
        object({ id: { type: 'integer' } }),
      ),
    ).toEqual(['"/name": added to an open content model: the writer may write it with any value']);
  });

  it('accepts a property added to an open content model when it accepts any value', () => {
    expect(
      problems(
        object({ id: { type: 'integer' }, note: { description: 'free text' } }),
        object({ id: { type: 'integer' } }),
      ),
    ).toEqual([]);
  });

  it('compares a property added to a partially open model with the writer additionalProperties', () => {
    const writer = object({ id: { type: 'integer' } }, { additionalProperties: { type: 'string' } });

    expect(
      problems(
        object(
          { id: { type: 'integer' }, name: { type: 'string' } },
          { additionalProperties: { type: 'string' } },
        ),
        writer,
      ),
    ).toEqual([]);
    expect(
      problems(
        object(
          { id: { type: 'integer' }, n: { type: 'integer' } },
          { additionalProperties: { type: 'string' } },
        ),
        writer,
      ),
    ).toEqual(['"/n": type narrowed: the writer may write "string", the reader accepts "integer"']);
  });

  it('refuses a closed content model reading an open one', () => {
    expect(problems(closed({ id: { type: 'integer' } }), object({ id: { type: 'integer' } }))).toEqual([
      `"/": content model closed, but the writer's is open: it may write properties the reader does not declare`,
    ]);
  });

  it('compares additionalProperties schemas', () => {
    expect(
      problems(
        object({}, { additionalProperties: { type: 'integer' } }),
        object({}, { additionalProperties: { type: 'number' } }),
      ),
    ).toEqual(['"/*": type narrowed: the writer may write "number", the reader accepts "integer"']);
  });

  it('reads a removed property through the reader patternProperties', () => {
    const writer = closed({ x_a: { type: 'string' } });

    expect(problems(closed({}, { patternProperties: { '^x_': { type: 'string' } } }), writer)).toEqual([]);
    expect(problems(closed({}, { patternProperties: { '^x_': { type: 'boolean' } } }), writer)).toEqual([
      '"/x_a": type narrowed: the writer may write "string", the reader accepts "boolean"',
    ]);
  });
});

describe('json > compatibility > types', () => {
  it.each([
    ['a nullable string read as a string', ['string', 'null'], 'string', '"null"', '"string"'],
    ['a number read as an integer', 'number', 'integer', '"number"', '"integer"'],
    ['a number read as a string', 'number', 'string', '"number"', '"string"'],
    [
      'a string or number read as a boolean',
      ['string', 'number'],
      'boolean',
      '["string","number"]',
      '"boolean"',
    ],
  ])('refuses %s', (_, writer, reader, written, accepted) => {
    expect(problems(object({ v: { type: reader } }), object({ v: { type: writer } }))).toEqual([
      `"/v": type narrowed: the writer may write ${written}, the reader accepts ${accepted}`,
    ]);
  });

  it.each([
    ['an integer read as a number', 'integer', 'number'],
    ['a string read as a nullable string', 'string', ['null', 'string']],
    ['a string read with no type', 'string', undefined],
  ])('accepts %s', (_, writer, reader) => {
    expect(
      problems(object({ v: reader === undefined ? {} : { type: reader } }), object({ v: { type: writer } })),
    ).toEqual([]);
  });

  it('refuses a type added where the writer wrote any value', () => {
    expect(problems({ type: 'string' }, {})).toEqual([
      '"/": type narrowed: the writer may write any type, the reader accepts "string"',
    ]);
  });

  it('refuses a reader that accepts nothing, and accepts a writer that writes nothing', () => {
    expect(problems(false, { type: 'string' })).toEqual(['"/": the reader accepts no value here']);
    expect(problems({ type: 'string' }, false)).toEqual([]);
  });
});

describe('json > compatibility > enums', () => {
  it('refuses enum values removed', () => {
    expect(problems({ enum: ['RED'] }, { enum: ['RED', 'BLUE', 'GREEN'] })).toEqual([
      '"/": enum values removed: ["BLUE","GREEN"]',
    ]);
  });

  it('accepts enum values added', () => {
    expect(problems({ enum: ['RED', 'BLUE'] }, { enum: ['RED'] })).toEqual([]);
  });

  it('refuses an enum where the writer wrote any string', () => {
    expect(problems({ type: 'string', enum: ['RED'] }, { type: 'string' })).toEqual([
      '"/": enum added: the writer may write values outside ["RED"]',
    ]);
  });

  it('compares const like a one-value enum, and values of few types', () => {
    expect(problems({ enum: ['A', 'B'] }, { const: 'A' })).toEqual([]);
    expect(problems({ const: 'A' }, { enum: ['A', 'B'] })).toEqual(['"/": enum values removed: ["B"]']);
    expect(problems({ enum: [true, false, null] }, { type: ['boolean', 'null'] })).toEqual([]);
  });

  it('compares the types of enum values rather than the type keyword', () => {
    expect(problems({ type: 'string' }, { enum: ['a', 'b'] })).toEqual([]);
    expect(problems({ type: 'string' }, { enum: ['a', 1] })).toEqual([
      '"/": type narrowed: the writer may write "integer", the reader accepts "string"',
    ]);
  });
});

describe('json > compatibility > bounds', () => {
  it.each([
    ['maxLength decreased', { maxLength: 10 }, { maxLength: 20 }, 'maxLength decreased from 20 to 10'],
    ['maxLength added', { maxLength: 10 }, {}, 'maxLength added: 10'],
    ['minLength increased', { minLength: 2 }, { minLength: 1 }, 'minLength increased from 1 to 2'],
    ['pattern changed', { pattern: '^b' }, { pattern: '^a' }, 'pattern changed from "^a" to "^b"'],
  ])('refuses %s on strings', (_, reader, writer, detail) => {
    expect(problems({ type: 'string', ...reader }, { type: 'string', ...writer })).toEqual([
      `"/": ${detail}`,
    ]);
  });

  it.each([
    ['maximum decreased', { maximum: 5 }, { maximum: 10 }, 'maximum decreased from 10 to 5'],
    ['minimum increased', { minimum: 1 }, { minimum: 0 }, 'minimum increased from 0 to 1'],
    [
      'an exclusive maximum at the writer maximum',
      { exclusiveMaximum: 10 },
      { maximum: 10 },
      `exclusiveMaximum 10 is stricter than the writer's maximum 10`,
    ],
    ['multipleOf changed', { multipleOf: 3 }, { multipleOf: 2 }, 'multipleOf changed from 2 to 3'],
  ])('refuses %s on numbers', (_, reader, writer, detail) => {
    expect(problems({ type: 'number', ...reader }, { type: 'number', ...writer })).toEqual([
      `"/": ${detail}`,
    ]);
  });

  it('accepts bounds that are as loose or looser', () => {
    expect(
      problems(
        { type: 'string', maxLength: 20, minLength: 1 },
        { type: 'string', maxLength: 10, minLength: 2 },
      ),
    ).toEqual([]);
    expect(problems({ type: 'number', maximum: 10 }, { type: 'number', exclusiveMaximum: 10 })).toEqual([]);
    expect(problems({ type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 4 })).toEqual([]);
    expect(problems({ type: 'integer', multipleOf: 1 }, { type: 'integer' })).toEqual([]);
  });

  it('ignores bounds of a type the writer never writes', () => {
    expect(problems({ type: ['string', 'integer'], maxLength: 3 }, { type: 'integer' })).toEqual([]);
  });

  it('refuses uniqueItems and fewer maxItems on arrays', () => {
    expect(
      problems({ type: 'array', uniqueItems: true, maxItems: 2 }, { type: 'array', maxItems: 3 }),
    ).toEqual(['"/": maxItems decreased from 3 to 2', '"/": uniqueItems added']);
  });
});

describe('json > compatibility > nested', () => {
  it('compares properties of properties, with their paths', () => {
    const writer = object({
      address: closed({ city: { type: 'string' }, zip: { type: ['string', 'null'] } }),
    });
    const reader = object({
      address: closed(
        { city: { type: 'string' }, zip: { type: 'string' }, street: { type: 'string' } },
        { required: ['street'] },
      ),
    });

    expect(problems(reader, writer)).toEqual([
      '"/address/street": required by the reader, but the writer does not always write it',
      '"/address/zip": type narrowed: the writer may write "null", the reader accepts "string"',
    ]);
  });

  it('escapes property names in paths as JSON Pointer does', () => {
    expect(
      problems(object({ 'a/b~c': { type: 'string' } }), object({ 'a/b~c': { type: 'number' } })),
    ).toEqual(['"/a~1b~0c": type narrowed: the writer may write "number", the reader accepts "string"']);
  });

  it('compares array items, at every index', () => {
    const items = (type: string) => object({ tags: { type: 'array', items: object({ n: { type } }) } });

    expect(problems(items('integer'), items('number'))).toEqual([
      '"/tags/*/n": type narrowed: the writer may write "number", the reader accepts "integer"',
    ]);
    expect(problems(items('number'), items('integer'))).toEqual([]);
  });

  it('compares draft-07 tuples and 2020-12 prefixItems by position', () => {
    expect(
      problems(
        { items: [{ type: 'string' }, { type: 'integer' }] },
        { items: [{ type: 'string' }, { type: 'number' }] },
      ),
    ).toEqual(['"/1": type narrowed: the writer may write "number", the reader accepts "integer"']);
    const draft2020 = 'https://json-schema.org/draft/2020-12/schema';
    expect(
      problems(
        { $schema: draft2020, prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
        { $schema: draft2020, prefixItems: [{ type: 'string' }], items: { type: 'number' } },
      ),
    ).toEqual(['"/*": type narrowed: the writer may write "number", the reader accepts "integer"']);
  });

  it('follows local $refs, and ends on recursive schemas', () => {
    const tree = (type: string) => ({
      definitions: {
        node: object({ value: { type }, children: { type: 'array', items: { $ref: '#/definitions/node' } } }),
      },
      $ref: '#/definitions/node',
    });

    expect(problems(tree('integer'), tree('integer'))).toEqual([]);
    expect(problems(tree('integer'), tree('number'))).toEqual([
      '"/value": type narrowed: the writer may write "number", the reader accepts "integer"',
    ]);
  });
});

describe('json > compatibility > combined schemas', () => {
  it('reads every branch of a writer oneOf', () => {
    const writer = { oneOf: [{ type: 'string' }, { type: 'null' }] };

    expect(problems({ type: ['string', 'null'] }, writer)).toEqual([]);
    expect(problems({ type: 'string' }, writer)).toEqual([
      '"/": type narrowed: the writer may write "null", the reader accepts "string"',
    ]);
  });

  it('needs one branch of a reader anyOf to read the writer', () => {
    const reader = { anyOf: [{ type: 'string' }, { type: 'integer' }] };

    expect(problems(reader, { type: 'integer' })).toEqual([]);
    expect(problems(reader, { type: 'boolean' })).toEqual([
      `"/": the writer may write values that no branch of the reader's anyOf accepts`,
    ]);
  });

  it('refuses a narrowed oneOf', () => {
    expect(
      problems({ oneOf: [{ type: 'string' }] }, { oneOf: [{ type: 'string' }, { type: 'integer' }] }),
    ).toEqual([`"/": the writer may write values that no branch of the reader's oneOf accepts`]);
  });

  it('reads allOf as all of its parts at once', () => {
    const base = object({ id: { type: 'integer' } }, { required: ['id'] });
    const writer = { allOf: [base, object({ name: { type: 'string' } }, { required: ['name'] })] };

    expect(
      problems(
        object({ id: { type: 'integer' }, name: { type: 'string' } }, { required: ['id', 'name'] }),
        writer,
      ),
    ).toEqual([]);
    expect(problems({ allOf: [base, object({}, { required: ['email'] })] }, writer)).toEqual([
      '"/email": required by the reader, but the writer does not always write it',
    ]);
  });
});
