import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const address = {
  type: 'record',
  name: 'Address',
  fields: [{ name: 'city', type: 'string' }],
};
const user = {
  type: 'record',
  name: 'User',
  namespace: 'io.example',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'home', type: ['null', address] },
    { name: 'past', type: { type: 'array', items: 'Address' }, default: [] },
    { name: 'byName', type: { type: 'map', values: 'Address' }, default: {} },
  ],
};
const alice = {
  name: 'Alice',
  home: { city: 'Paris' },
  past: [{ city: 'Lyon' }],
  byName: { work: { city: 'Nice' } },
};
const codec = avroFormat().compile(resolvedSchema(user));
const refusal = (value: unknown) =>
  failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message;

describe('avro > closed record type', () => {
  it('refuses a field the record does not have, naming it and the record', () => {
    expect(refusal({ ...alice, emial: 'x' })).toBe(
      'cannot serialize value: field "emial" is not in record "User"',
    );
  });

  it('names the path of a field that nested records, unions, arrays and maps do not have', () => {
    expect(refusal({ ...alice, home: { city: 'Paris', zpi: 1 } })).toBe(
      'cannot serialize value: field "home.zpi" is not in record "Address"',
    );
    expect(refusal({ ...alice, past: [{ city: 'Lyon' }, { city: 'Metz', country: 'FR' }] })).toBe(
      'cannot serialize value: field "past.1.country" is not in record "Address"',
    );
    expect(refusal({ ...alice, byName: { work: { city: 'Nice', floor: 3 } } })).toBe(
      'cannot serialize value: field "byName.work.floor" is not in record "Address"',
    );
  });

  it('counts a field holding undefined as absent, and refuses names Object.prototype has', () => {
    expect(codec.encode({ ...alice, extra: undefined }, 0)).toEqual(codec.encode(alice, 0));
    expect(refusal({ ...alice, toString: 'x' })).toBe(
      'cannot serialize value: field "toString" is not in record "User"',
    );
  });

  it('writes what avsc writes, and drops unknown fields with unknownFields: ignore', () => {
    const reference = avsc.Type.forSchema(user as never).toBuffer(alice);
    expect(codec.encode(alice, 0)).toEqual(reference);
    const lenient = avroFormat({ unknownFields: 'ignore' }).compile(resolvedSchema(user));
    expect(lenient.encode({ ...alice, emial: 'x', home: { city: 'Paris', zpi: 1 } }, 0)).toEqual(reference);
  });
});

describe('avro > closed record type > records of no fields', () => {
  it('writes an empty record and refuses any field in it', () => {
    const empty = avroFormat().compile(resolvedSchema({ type: 'record', name: 'Nothing', fields: [] }));
    expect(empty.encode({}, 0)).toEqual(Buffer.alloc(0));
    expect(failure(() => empty.encode({ a: 1 }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "a" is not in record "Nothing"',
    );
  });
});
