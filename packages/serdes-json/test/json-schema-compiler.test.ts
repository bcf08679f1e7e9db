import { describe, expect, it } from '@jest/globals';
import type { SchemaCodec } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { failure } from './support/failures.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const draft2020 = 'https://json-schema.org/draft/2020-12/schema';
const address = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};

function problem(codec: SchemaCodec, value: unknown): string | undefined {
  try {
    codec.encode(value, 0);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('json > compiler > references', () => {
  it('resolves a $ref to a relative name from the schema registered under that name', () => {
    const codec = format.compile(
      resolvedSchema(
        { type: 'object', properties: { home: { $ref: 'address.json' } } },
        { dependencies: [dependency('address.json', address)] },
      ),
    );

    expect(problem(codec, { home: { city: 'Oslo' } })).toBeUndefined();
    expect(problem(codec, { home: {} })).toBe(
      `cannot serialize value: "/home" must have required property 'city'`,
    );
  });

  it('resolves a $ref to an absolute URL', () => {
    const codec = format.compile(
      resolvedSchema(
        { type: 'object', properties: { home: { $ref: 'https://example.com/address.json' } } },
        { dependencies: [dependency('https://example.com/address.json', address)] },
      ),
    );

    expect(problem(codec, { home: { city: 1 } })).toBe(
      'cannot serialize value: "/home/city" must be string, got 1',
    );
  });

  it('resolves a relative $ref against the schema $id, as the registry names the reference', () => {
    const codec = format.compile(
      resolvedSchema(
        {
          $id: 'https://example.com/schemas/person.json',
          type: 'object',
          properties: { home: { $ref: 'address.json' } },
        },
        { dependencies: [dependency('address.json', address)] },
      ),
    );

    expect(problem(codec, { home: {} })).toMatch(/must have required property 'city'/);
    expect(problem(codec, { home: { city: 'Oslo' } })).toBeUndefined();
  });

  it('accepts a reference whose own $id is the URL the schema refers to', () => {
    const withId = { ...address, $id: 'https://example.com/schemas/address.json' };
    const codec = format.compile(
      resolvedSchema(
        { $id: 'https://example.com/schemas/person.json', properties: { home: { $ref: 'address.json' } } },
        { dependencies: [dependency('address.json', withId)] },
      ),
    );

    expect(problem(codec, { home: {} })).toMatch(/must have required property 'city'/);
  });

  it('resolves references of references, and pointers into them', () => {
    const city = { $defs: { name: { type: 'string', minLength: 2 } } };
    const codec = format.compile(
      resolvedSchema(
        { $schema: draft2020, type: 'object', properties: { home: { $ref: 'address.json' } } },
        {
          dependencies: [
            dependency('city.json', { $schema: draft2020, ...city }),
            dependency('address.json', {
              $schema: draft2020,
              type: 'object',
              properties: { city: { $ref: 'city.json#/$defs/name' } },
            }),
          ],
        },
      ),
    );

    expect(problem(codec, { home: { city: 'Oslo' } })).toBeUndefined();
    expect(problem(codec, { home: { city: 'O' } })).toBe(
      'cannot serialize value: "/home/city" must NOT have fewer than 2 characters, got "O"',
    );
  });

  it('refuses a $ref nothing resolves', () => {
    const error = failure(
      () => format.compile(resolvedSchema({ properties: { home: { $ref: 'address.json' } } })),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toBe("cannot parse json schema: can't resolve reference address.json from id #");
  });

  it('refuses a reference of another dialect, naming it', () => {
    const error = failure(
      () =>
        format.compile(
          resolvedSchema(
            { $schema: draft2020, properties: { home: { $ref: 'address.json' } } },
            {
              dependencies: [
                dependency(
                  'address.json',
                  { $schema: 'http://json-schema.org/draft-07/schema#', ...address },
                  'address',
                  3,
                ),
              ],
            },
          ),
        ),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toBe(
      'cannot parse json schema: reference "address.json" (subject "address", version 3): it is draft-07 but the schema referencing it is 2020-12; a schema and its references must share a dialect',
    );
  });

  it('refuses a reference that is not a valid schema, naming it', () => {
    const error = failure(
      () =>
        format.compile(
          resolvedSchema(
            { $ref: 'address.json' },
            { dependencies: [dependency('address.json', '{"type": 5')] },
          ),
        ),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toMatch(
      /^cannot parse json schema: reference "address.json" \(subject "address.json", version 1\): invalid json: /,
    );
  });
});

describe('json > compiler > invalid schemas', () => {
  it.each([
    ['text that is not JSON', '{"type": "object"', /^cannot parse json schema: invalid json: /],
    ['a number', '5', /^cannot parse json schema: a schema is an object or a boolean, not 5$/],
    ['an array', '[]', /^cannot parse json schema: a schema is an object or a boolean, not \[\]$/],
    ['null', 'null', /^cannot parse json schema: a schema is an object or a boolean, not null$/],
    [
      'an unknown type',
      '{"type": "strin"}',
      /^cannot parse json schema: schema is invalid: data\/type must be/,
    ],
    [
      'a required that is not a list',
      '{"required": "id"}',
      /^cannot parse json schema: schema is invalid: data\/required must be array/,
    ],
  ])('refuses %s on compile and validate', (_, text, message) => {
    expect(failure(() => format.compile(resolvedSchema(text)), ErrorCode.InvalidSchema).message).toMatch(
      message,
    );
    expect(failure(() => format.validate(resolvedSchema(text)), ErrorCode.InvalidSchema).message).toMatch(
      message,
    );
  });

  it('accepts the boolean schemas', () => {
    expect(problem(format.compile(resolvedSchema(true)), { any: 'thing' })).toBeUndefined();
    expect(problem(format.compile(resolvedSchema(false)), 1)).toBe(
      'cannot serialize value: "/" boolean schema is false, got 1',
    );
  });
});

describe('json > compiler > options', () => {
  const email = { type: 'object', properties: { email: { type: 'string', format: 'email' } } };

  it('leaves formats unchecked unless they are given', () => {
    expect(problem(format.compile(resolvedSchema(email)), { email: 'not an address' })).toBeUndefined();
  });

  it('checks the formats given in the options', () => {
    const checked = jsonSchemaFormat({ formats: { email: /^[^@\s]+@[^@\s]+$/ } }).compile(
      resolvedSchema(email),
    );

    expect(problem(checked, { email: 'a@b.example' })).toBeUndefined();
    expect(problem(checked, { email: 'not an address' })).toBe(
      'cannot serialize value: "/email" must match format "email", got "not an address"',
    );
  });

  it('lets configure add formats and keywords to every ajv instance, of both dialects', () => {
    const dialects: string[] = [];
    const custom = jsonSchemaFormat({
      configure(ajv) {
        dialects.push(ajv.constructor.name);
        ajv.addFormat('even-length', (text: string) => text.length % 2 === 0);
        ajv.addKeyword({
          keyword: 'positive',
          type: 'number',
          validate: (on: boolean, n: number) => !on || n > 0,
        });
      },
    });
    const schema = {
      properties: { code: { type: 'string', format: 'even-length' }, n: { type: 'number', positive: true } },
    };

    const draft07 = custom.compile(resolvedSchema(schema));
    const latest = custom.compile(resolvedSchema({ $schema: draft2020, ...schema }));

    expect(dialects).toEqual(['Ajv', 'Ajv2020']);
    for (const codec of [draft07, latest]) {
      expect(problem(codec, { code: 'ab', n: 1 })).toBeUndefined();
      expect(problem(codec, { code: 'abc' })).toMatch(/"\/code" must match format "even-length"/);
      expect(problem(codec, { n: -1 })).toMatch(/"\/n" must pass "positive" keyword validation/);
    }
  });
});

describe('json > compiler > type name', () => {
  it.each([
    ['the title', { title: 'Person', $id: 'https://example.com/person.json' }, 'Person'],
    [
      'the $id without a title',
      { $id: 'https://example.com/person.json' },
      'https://example.com/person.json',
    ],
    ['nothing without either', { type: 'object' }, undefined],
    ['nothing for a boolean schema', true, undefined],
  ])('is %s', (_, schema, typeName) => {
    expect(format.compile(resolvedSchema(schema)).typeName).toBe(typeName);
  });
});
