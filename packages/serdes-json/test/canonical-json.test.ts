import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { failure } from './support/failures.js';
import { myJsonMessage, myJsonMessageText, resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const canonical = (schema: unknown) => format.canonicalize(resolvedSchema(schema), false);
const normal = (schema: unknown) => format.canonicalize(resolvedSchema(schema), true);

describe('json > canonical json', () => {
  it('sorts the keys of nested objects and drops whitespace', () => {
    expect(
      canonical(
        '{ "type": "object",\n  "properties": { "b": {"type": "string"}, "a": {"type": "integer"} } }',
      ),
    ).toBe('{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}');
  });

  it('is the same for the seed message file and its parsed, reordered form', () => {
    const reordered = Object.fromEntries(Object.entries(myJsonMessage).reverse());

    expect(canonical(myJsonMessageText)).toBe(canonical(reordered));
  });

  it('keeps the order of arrays, and every keyword', () => {
    expect(canonical({ required: ['b', 'a'], enum: ['y', 'x'], description: 'd' })).toBe(
      '{"description":"d","enum":["y","x"],"required":["b","a"]}',
    );
  });

  it('keeps a "__proto__" key as a key', () => {
    expect(canonical('{"properties": {"__proto__": {"type": "string"}}}')).toBe(
      '{"properties":{"__proto__":{"type":"string"}}}',
    );
  });

  it('refuses text that is not a schema', () => {
    failure(() => canonical('{"type":'), ErrorCode.InvalidSchema);
  });
});

describe('json > canonical json > normalized', () => {
  it('sorts required and type lists and drops their duplicates', () => {
    expect(normal({ type: ['string', 'null', 'string'], required: ['b', 'a', 'b'] })).toBe(
      '{"required":["a","b"],"type":["null","string"]}',
    );
  });

  it('writes a one-element type list as its element', () => {
    expect(normal({ type: ['object'] })).toBe(normal({ type: 'object' }));
  });

  it('spells the $schema of each dialect one way', () => {
    expect(normal({ $schema: 'https://json-schema.org/draft-07/schema' })).toBe(
      normal({ $schema: 'http://json-schema.org/draft-07/schema#' }),
    );
    expect(normal({ $schema: 'http://json-schema.org/draft/2020-12/schema#' })).toBe(
      '{"$schema":"https://json-schema.org/draft/2020-12/schema"}',
    );
  });

  it('normalizes nested schemas, but not property names or data that look like keywords', () => {
    const schema = {
      properties: {
        type: { type: ['string'] },
        required: { enum: [['b', 'a']], default: { required: ['d', 'c'] } },
      },
      items: [{ required: ['y', 'x'] }],
      anyOf: [{ type: ['integer', 'boolean'] }],
      dependencies: { a: ['c', 'b'], b: { required: ['f', 'e'] } },
    };

    expect(JSON.parse(normal(schema))).toEqual({
      anyOf: [{ type: ['boolean', 'integer'] }],
      dependencies: { a: ['b', 'c'], b: { required: ['e', 'f'] } },
      items: [{ required: ['x', 'y'] }],
      properties: {
        required: { default: { required: ['d', 'c'] }, enum: [['b', 'a']] },
        type: { type: 'string' },
      },
    });
  });

  it('keeps annotations and the order of enum values', () => {
    const schema = { title: 'T', description: 'd', examples: [2, 1], default: 1, enum: [2, 1] };

    expect(JSON.parse(normal(schema))).toEqual(schema);
  });

  it('keeps the $schema it does not know as it is', () => {
    expect(normal({ $schema: 'https://example.com/meta' })).toBe('{"$schema":"https://example.com/meta"}');
  });
});
