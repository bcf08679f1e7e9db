import { describe, expect, it } from '@jest/globals';
import type { ResolvedSchemaOptions } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { failure } from './support/failures.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = jsonSchemaFormat();
const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

function problems(
  reader: unknown,
  writer: unknown,
  readerOptions: ResolvedSchemaOptions = {},
  writerOptions: ResolvedSchemaOptions = {},
): string[] {
  return format.readerIncompatibilities(
    resolvedSchema(reader, readerOptions),
    resolvedSchema(writer, writerOptions),
  );
}

const address = (zip: unknown) => ({
  type: 'object',
  properties: { city: { type: 'string' }, zip: { type: zip } },
});

describe('json > schema documents > references in compatibility', () => {
  it('compares what references of two versions hold, at the path of the $ref', () => {
    const person = { type: 'object', properties: { home: { $ref: 'address.json' } } };
    const v1 = { dependencies: [dependency('address.json', address(['string', 'null']), 'address', 1)] };
    const v2 = { dependencies: [dependency('address.json', address('string'), 'address', 2)] };

    expect(problems(person, person, v2, v1)).toEqual([
      '"/home/zip": type narrowed: the writer may write "null", the reader accepts "string"',
    ]);
    expect(problems(person, person, v1, v2)).toEqual([]);
  });

  it('finds a reference by its name resolved against the schema $id, and by its own $id', () => {
    const reader = {
      $id: 'https://example.com/person.json',
      type: 'object',
      properties: { home: { $ref: 'address.json' } },
    };
    const writer = {
      type: 'object',
      properties: { home: { $ref: 'https://example.com/shared/address.json' } },
    };
    const readerOptions = { dependencies: [dependency('address.json', address('string'))] };
    const writerOptions = {
      dependencies: [
        dependency('shared.json', { $id: 'https://example.com/shared/address.json', ...address('integer') }),
      ],
    };

    expect(problems(reader, writer, readerOptions, writerOptions)).toEqual([
      '"/home/zip": type narrowed: the writer may write "integer", the reader accepts "string"',
    ]);
  });

  it('follows pointers into references, and references of references', () => {
    const defs = (type: string) => ({ $schema: draft2020, $defs: { zip: { type } } });
    const nested = {
      $schema: draft2020,
      type: 'object',
      properties: { zip: { $ref: 'zips.json#/$defs/zip' } },
    };
    const schema = { $schema: draft2020, type: 'object', properties: { home: { $ref: 'address.json' } } };
    const options = (type: string) => ({
      dependencies: [dependency('zips.json', defs(type)), dependency('address.json', nested)],
    });

    expect(problems(schema, schema, options('integer'), options('number'))).toEqual([
      '"/home/zip": type narrowed: the writer may write "number", the reader accepts "integer"',
    ]);
  });

  it('follows anchors: $anchor in 2020-12, an $id fragment in draft-07', () => {
    const latest = (type: string) => ({
      $schema: draft2020,
      $defs: { zip: { $anchor: 'zip', type } },
      properties: { zip: { $ref: '#zip' } },
    });
    const draft07 = (type: string) => ({
      definitions: { zip: { $id: '#zip', type } },
      properties: { zip: { $ref: '#zip' } },
    });

    expect(problems(latest('string'), latest('integer'))).toEqual([
      '"/zip": type narrowed: the writer may write "integer", the reader accepts "string"',
    ]);
    expect(problems(draft07('string'), draft07('integer'))).toEqual([
      '"/zip": type narrowed: the writer may write "integer", the reader accepts "string"',
    ]);
  });

  it('reads a $ref it cannot follow as no constraint', () => {
    expect(
      problems(
        { properties: { zip: { $ref: '#/definitions/missing' } } },
        { properties: { zip: { type: 'string' } } },
      ),
    ).toEqual([]);
  });

  it('refuses reference text that is not a schema, naming the reference', () => {
    const error = failure(
      () => problems({ $ref: 'a.json' }, true, { dependencies: [dependency('a.json', '{', 'a', 2)] }),
      ErrorCode.InvalidSchema,
    );

    expect(error.message).toMatch(
      /^cannot parse json schema: reference "a.json" \(subject "a", version 2\): invalid json: /,
    );
  });
});
