import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const draft07 = 'http://json-schema.org/draft-07/schema#';
const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

/** Whether `value` passes the schema's check on serialize. */
function accepts(schema: object, value: unknown): boolean {
  const codec = format.compile(resolvedSchema(schema));
  try {
    codec.encode(value, 0);
    return true;
  } catch {
    return false;
  }
}

describe('json > dialect > draft-07', () => {
  it.each([
    ['no $schema', undefined],
    ['the draft-07 URI', draft07],
    ['https and no empty fragment', 'https://json-schema.org/draft-07/schema'],
  ])('reads draft-07 with %s: tuples in items, prefixItems ignored', (_, $schema) => {
    const tuple = { $schema, type: 'array', items: [{ type: 'string' }], additionalItems: false };
    const prefixed = { $schema, type: 'array', prefixItems: [{ type: 'string' }] };

    expect(accepts(tuple, ['a'])).toBe(true);
    expect(accepts(tuple, [1])).toBe(false);
    expect(accepts(tuple, ['a', 'b'])).toBe(false);
    expect(accepts(prefixed, [1])).toBe(true);
  });

  it('reads definitions and local $refs', () => {
    const schema = {
      $schema: draft07,
      definitions: { age: { type: 'integer', minimum: 0 } },
      type: 'object',
      properties: { age: { $ref: '#/definitions/age' } },
    };

    expect(accepts(schema, { age: 3 })).toBe(true);
    expect(accepts(schema, { age: -3 })).toBe(false);
  });
});

describe('json > dialect > 2020-12', () => {
  it.each([
    ['the 2020-12 URI', draft2020],
    ['http and an empty fragment', 'http://json-schema.org/draft/2020-12/schema#'],
  ])('reads 2020-12 with %s: prefixItems, $defs and unevaluatedProperties', (_, $schema) => {
    const schema = {
      $schema,
      $defs: { name: { type: 'string' } },
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ $ref: '#/$defs/name' }, { type: 'integer' }] } },
      unevaluatedProperties: false,
    };

    expect(accepts(schema, { pair: ['a', 1] })).toBe(true);
    expect(accepts(schema, { pair: [1, 1] })).toBe(false);
    expect(accepts(schema, { pair: ['a', 1], other: true })).toBe(false);
  });

  it('refuses the draft-07 tuple form of items, which 2020-12 dropped', () => {
    const error = failure(
      () => format.validate(resolvedSchema({ $schema: draft2020, items: [{ type: 'string' }] })),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toMatch(/^cannot parse json schema: schema is invalid: data\/items must be/);
  });
});

describe('json > dialect > others', () => {
  it.each([
    'http://json-schema.org/draft-04/schema#',
    'http://json-schema.org/draft-06/schema#',
    'https://json-schema.org/draft/2019-09/schema',
    'https://example.com/my-meta-schema',
  ])('refuses $schema %s', ($schema) => {
    const error = failure(() => format.validate(resolvedSchema({ $schema })), ErrorCode.InvalidSchema);

    expect(error.message).toBe(
      `cannot parse json schema: unsupported $schema ${JSON.stringify($schema)} (supported: draft-07, 2020-12)`,
    );
  });

  it('refuses a $schema that is not a string', () => {
    expect(
      failure(() => format.validate(resolvedSchema({ $schema: 7 })), ErrorCode.InvalidSchema).message,
    ).toBe('cannot parse json schema: unsupported $schema 7 (supported: draft-07, 2020-12)');
  });

  it('accepts keywords of its own that a schema carries, such as confluent:tags', () => {
    const schema = {
      type: 'object',
      properties: { ssn: { type: 'string', 'confluent:tags': ['PII'] } },
      'x-generator': { language: 'java' },
    };

    expect(accepts(schema, { ssn: '123' })).toBe(true);
    expect(accepts(schema, { ssn: 123 })).toBe(false);
  });
});
