import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const LIMIT = 1000;

/** A linked list: the recursive record that lets a value nest as deep as its bytes say. */
const node = { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] };
/** The same list with a field the writer has and an older reader does not, read through a resolver. */
const nodeV2 = {
  type: 'record',
  name: 'Node',
  fields: [
    { name: 'next', type: ['null', 'Node'] },
    { name: 'label', type: 'string', default: '' },
  ],
};

/** The body of a list `depth` records deep: branch 1 (a Node) at each level, then branch 0 (null). */
function nestedBody(depth: number): Buffer {
  return Buffer.concat([Buffer.alloc(depth - 1, 0x02), Buffer.from([0x00])]);
}

function nestedValue(depth: number): unknown {
  let value: unknown = { next: null };
  for (let i = 1; i < depth; i++) value = { next: value };
  return value;
}

describe('avro > depth limited record type', () => {
  const codec = format.compile(resolvedSchema(node));

  describe('avro > depth limited record type > decode', () => {
    it(`reads records nested ${LIMIT} deep`, () => {
      expect(codec.decode(nestedBody(LIMIT), 0)).toEqual(nestedValue(LIMIT));
    });

    it.each([LIMIT + 1, 100_000])('refuses records nested %i deep with a typed error', (depth) => {
      const error = failure(() => codec.decode(nestedBody(depth), 0), ErrorCode.DeserializationFailed);
      expect(error.message).toBe(
        `cannot deserialize value: records nested at most ${LIMIT} deep, found deeper`,
      );
    });

    it('refuses them through a reader schema too, and reads the shallow ones', () => {
      const reader = format.compile(resolvedSchema(nodeV2), { readerSchema: resolvedSchema(node) });
      const error = failure(() => reader.decode(nestedBody(100_000), 0), ErrorCode.DeserializationFailed);
      expect(error.message).toBe(
        `cannot deserialize value: records nested at most ${LIMIT} deep, found deeper`,
      );
    });

    it('counts from zero again after a refusal', () => {
      failure(() => codec.decode(nestedBody(LIMIT + 1), 0), ErrorCode.DeserializationFailed);
      expect(codec.decode(nestedBody(LIMIT), 0)).toEqual(nestedValue(LIMIT));
    });
  });

  describe('avro > depth limited record type > encode', () => {
    it(`writes records nested ${LIMIT} deep`, () => {
      expect(codec.encode(nestedValue(LIMIT), 0)).toEqual(nestedBody(LIMIT));
    });

    it.each([LIMIT + 1, 100_000])('refuses a value nested %i deep with a typed error', (depth) => {
      const error = failure(() => codec.encode(nestedValue(depth), 0), ErrorCode.SerializationFailed);
      expect(error.message).toBe(
        `cannot serialize value: records nested at most ${LIMIT} deep, found deeper`,
      );
    });

    it('refuses a value nested too deep given in its JSON form', () => {
      const error = failure(() => codec.fromJson?.(nestedValue(100_000)), ErrorCode.SerializationFailed);
      expect(error.message).toBe(
        `cannot serialize value: records nested at most ${LIMIT} deep, found deeper`,
      );
    });
  });
});
