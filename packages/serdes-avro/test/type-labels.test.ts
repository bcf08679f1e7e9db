import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();

/** The label an invalid value's error gives the type of `schema`. */
function label(schema: unknown): string {
  const codec = format.compile(resolvedSchema(schema));
  const { message } = failure(() => codec.encode(undefined, 0), ErrorCode.SerializationFailed);
  return /expected "(.*)", got/.exec(message)?.[1] ?? message;
}

describe('avro > type labels', () => {
  it.each([
    ['"int"', 'int'],
    [
      '{"type": "record", "name": "Point", "namespace": "geo", "fields": [{"name": "x", "type": "int"}]}',
      'geo.Point',
    ],
    ['{"type": "enum", "name": "Color", "symbols": ["RED"]}', 'Color'],
    ['{"type": "array", "items": "string"}', 'array<string>'],
    ['{"type": "map", "values": {"type": "array", "items": "long"}}', 'map<array<long>>'],
    ['["null", "string", {"type": "fixed", "name": "Id", "size": 2}]', 'union<null,string,Id>'],
    ['{"type": "int", "logicalType": "date"}', 'date'],
    ['{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1}', 'decimal(4,1)'],
    ['{"type": "string", "logicalType": "not-a-known-one"}', 'string'],
  ])('labels %s as %j', (schema, expected) => {
    expect(label(schema)).toBe(expected);
  });
});
