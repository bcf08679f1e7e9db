import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel, ResolvedSchema, SchemaFormat } from '@schemawire/core-client';
import { CompatibilityLevels, checkCompatibility } from '@schemawire/core-client';
import type { TestSchemaText } from './support/test-formats.js';
import { jsonTestFormat, testSchema } from './support/test-formats.js';

const format = jsonTestFormat();

/** A registered version: writes `fields`, and as a reader requires `required`. */
function version(n: number | undefined, text: TestSchemaText): ResolvedSchema {
  return {
    schema: {
      id: n ?? -1,
      schemaType: 'JSON',
      schema: testSchema(text),
      references: [],
      ...(n === undefined ? {} : { version: n }),
    },
    dependencies: [],
  };
}

// v1 writes a; v2 writes a and b; v3 writes a and b, and requires b of what it reads.
const v1 = version(1, { fields: ['a'], required: ['a'] });
const v2 = version(2, { fields: ['a', 'b'], required: ['a'] });
const v3 = version(3, { fields: ['a', 'b'], required: ['a', 'b'] });
const requiresB = version(undefined, { fields: ['a', 'b'], required: ['a', 'b'] });
const dropsA = version(undefined, { fields: ['b'], required: [] });

/** A format that records which (reader, writer) pairs it was asked about. */
function spyFormat(): SchemaFormat & { readonly pairs: string[] } {
  const pairs: string[] = [];
  const name = (s: ResolvedSchema) => (s.schema.version === undefined ? 'new' : `v${s.schema.version}`);
  return {
    ...format,
    pairs,
    readerIncompatibilities(reader, writer) {
      pairs.push(`${name(reader)} reads ${name(writer)}`);
      return [];
    },
  };
}

describe('compatibility > levels', () => {
  it("refuses another schema type at every level but NONE, without asking either format's rules", () => {
    const spy = spyFormat();
    const avro: ResolvedSchema = { ...requiresB, schema: { ...requiresB.schema, schemaType: 'AVRO' } };
    expect(checkCompatibility(spy, avro, [v1, v2], 'FULL_TRANSITIVE')).toEqual({
      compatible: false,
      messages: [
        'schema type changed from JSON to AVRO (version 1)',
        'schema type changed from JSON to AVRO (version 2)',
      ],
    });
    expect(spy.pairs).toEqual([]);
    expect(checkCompatibility(spy, avro, [v1, v2], 'NONE').compatible).toBe(true);
  });

  it('accepts anything at NONE', () => {
    expect(checkCompatibility(format, dropsA, [v1, v2], 'NONE')).toEqual({ compatible: true, messages: [] });
  });

  it.each(CompatibilityLevels)('accepts the first version of a subject at %s', (level) => {
    expect(checkCompatibility(format, requiresB, [], level).compatible).toBe(true);
  });

  it('checks BACKWARD against the latest version only', () => {
    // requiresB reads v2's data (v2 writes b) but not v1's.
    expect(checkCompatibility(format, requiresB, [v1, v2], 'BACKWARD')).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('checks BACKWARD_TRANSITIVE against every version', () => {
    const result = checkCompatibility(format, requiresB, [v1, v2], 'BACKWARD_TRANSITIVE');
    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual([
      'backward: new schema cannot read data written with version 1: field "b" is required but not written',
    ]);
  });

  it('checks FORWARD as the old schema reading the new one', () => {
    // v3 requires b; dropsA writes b but not a, which v3 also requires.
    const forward = checkCompatibility(format, dropsA, [v3], 'FORWARD');
    expect(forward.compatible).toBe(false);
    expect(forward.messages).toEqual([
      'forward: version 3 cannot read data written with the new schema: field "a" is required but not written',
    ]);
    // dropsA requires nothing, so it reads v3's data: BACKWARD holds where FORWARD fails.
    expect(checkCompatibility(format, dropsA, [v3], 'BACKWARD').compatible).toBe(true);
  });

  it('checks FORWARD against the latest version only and FORWARD_TRANSITIVE against all', () => {
    const dropsB = version(undefined, { fields: ['a'], required: ['a'] });
    expect(checkCompatibility(format, dropsB, [v3, v2], 'FORWARD').compatible).toBe(true);
    const transitive = checkCompatibility(format, dropsB, [v3, v2], 'FORWARD_TRANSITIVE');
    expect(transitive.compatible).toBe(false);
    expect(transitive.messages).toEqual([
      'forward: version 3 cannot read data written with the new schema: field "b" is required but not written',
    ]);
  });

  it('checks FULL both ways against the latest version', () => {
    const result = checkCompatibility(format, requiresB, [v2, v1], 'FULL');
    expect(result.compatible).toBe(false);
    expect(result.messages).toEqual([
      'backward: new schema cannot read data written with version 1: field "b" is required but not written',
    ]);
    const both = checkCompatibility(format, dropsA, [v3], 'FULL');
    expect(both.messages).toHaveLength(1);
    expect(checkCompatibility(format, v2, [v1], 'FULL').compatible).toBe(true);
  });

  it('reports every problem of FULL_TRANSITIVE, both ways, against every version', () => {
    const result = checkCompatibility(format, dropsA, [v1, v3], 'FULL_TRANSITIVE');
    expect(result.messages).toEqual([
      'forward: version 1 cannot read data written with the new schema: field "a" is required but not written',
      'forward: version 3 cannot read data written with the new schema: field "a" is required but not written',
    ]);
  });

  it('names an unnumbered old version as an older version', () => {
    const unnumbered = version(undefined, { fields: ['a'], required: ['a'] });
    expect(checkCompatibility(format, requiresB, [unnumbered], 'BACKWARD').messages).toEqual([
      'backward: new schema cannot read data written with an older version: field "b" is required but not written',
    ]);
  });
});

describe('compatibility > which pairs are compared', () => {
  it.each<[CompatibilityLevel, string[]]>([
    ['NONE', []],
    ['BACKWARD', ['new reads v2']],
    ['BACKWARD_TRANSITIVE', ['new reads v1', 'new reads v2']],
    ['FORWARD', ['v2 reads new']],
    ['FORWARD_TRANSITIVE', ['v1 reads new', 'v2 reads new']],
    ['FULL', ['new reads v2', 'v2 reads new']],
    ['FULL_TRANSITIVE', ['new reads v1', 'v1 reads new', 'new reads v2', 'v2 reads new']],
  ])('%s compares %j', (level, expected) => {
    const spy = spyFormat();
    checkCompatibility(spy, requiresB, [v1, v2], level);
    expect(spy.pairs).toEqual(expected);
  });
});
