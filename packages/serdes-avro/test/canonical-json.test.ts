import { describe, expect, it } from '@jest/globals';
import { avroFormat } from '@schemawire/serdes-avro';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const canonical = (text: string) => format.canonicalize(resolvedSchema(text), false);

describe('avro > canonical json', () => {
  it('sorts the keys of nested objects and drops whitespace', () => {
    expect(
      canonical(
        '{ "type": "record", "name": "A", "fields": [ { "type": "int", "name": "x", "default": 1 } ] }',
      ),
    ).toBe('{"fields":[{"default":1,"name":"x","type":"int"}],"name":"A","type":"record"}');
  });

  it('keeps the order of arrays', () => {
    expect(canonical('{"type": "enum", "name": "E", "symbols": ["B", "A"]}')).toBe(
      '{"name":"E","symbols":["B","A"],"type":"enum"}',
    );
  });

  it('keeps a "__proto__" attribute as a key', () => {
    expect(canonical('{"type": "string", "__proto__": {"b": 1, "a": 2}}')).toBe(
      '{"__proto__":{"a":2,"b":1},"type":"string"}',
    );
  });
});
