import { describe, expect, it } from '@jest/globals';
import {
  CompatibilityLevels,
  isCompatibilityLevel,
  resolvedSchema,
  schemaIdKey,
} from '@schemawire/core-client';

describe('schema > schema id key', () => {
  it('gives each kind of id its own key', () => {
    expect(schemaIdKey({ kind: 'id', id: 7 })).toBe('id:7');
    expect(schemaIdKey({ kind: 'guid', guid: 'g' })).toBe('guid:g');
    expect(schemaIdKey({ kind: 'globalId', globalId: 7 })).toBe('globalId:7');
    expect(schemaIdKey({ kind: 'contentId', contentId: 7 })).toBe('contentId:7');
  });
});

describe('schema > compatibility levels', () => {
  it('lists the seven Confluent levels', () => {
    expect(CompatibilityLevels).toEqual([
      'NONE',
      'BACKWARD',
      'BACKWARD_TRANSITIVE',
      'FORWARD',
      'FORWARD_TRANSITIVE',
      'FULL',
      'FULL_TRANSITIVE',
    ]);
  });

  it('recognizes exactly those names', () => {
    for (const level of CompatibilityLevels) expect(isCompatibilityLevel(level)).toBe(true);
    for (const value of ['backward', 'FULL ', '', 'TRANSITIVE', 1, null, undefined]) {
      expect(isCompatibilityLevel(value)).toBe(false);
    }
  });
});

describe('schema > resolved schema by hand', () => {
  it('derives the references from the dependencies and keeps where it was registered', () => {
    const address = resolvedSchema('AVRO', '{"type":"record","name":"Address","fields":[]}', {
      subject: 'address',
      version: 3,
    });
    const customer = resolvedSchema('AVRO', '{"type":"record","name":"Customer","fields":[]}', {
      id: 9,
      dependencies: [{ name: 'io.example.Address', schema: address.schema }],
    });
    expect(customer.schema).toEqual({
      id: 9,
      schemaType: 'AVRO',
      schema: '{"type":"record","name":"Customer","fields":[]}',
      references: [{ name: 'io.example.Address', subject: 'address', version: 3 }],
    });
    expect(customer.dependencies).toHaveLength(1);
    expect(address.schema).toMatchObject({ id: 1, subject: 'address', version: 3, references: [] });
  });
});
