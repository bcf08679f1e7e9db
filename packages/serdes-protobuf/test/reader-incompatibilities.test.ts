import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel } from '@schemawire/core-client';
import { checkCompatibility, ErrorCode, isSchemaWireError } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { myMessageProto } from './support/proto-files.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();

/** The problems `checkCompatibility` finds registering `next` after version 1 `previous`. */
function check(previous: string, next: string, level: CompatibilityLevel = 'BACKWARD'): readonly string[] {
  const old = resolvedSchema(previous, { subject: 's', version: 1 });
  return checkCompatibility(format, resolvedSchema(next), [old], level).messages;
}

const proto3 = (body: string) => `syntax = "proto3";\npackage pkg;\n${body}\n`;
const person = (fields: string) => proto3(`message Person {\n${fields}\n}`);

describe('protobuf > compatibility > compatible changes', () => {
  it.each<[string, string, string]>([
    ['a field added', 'int32 id = 1;', 'int32 id = 1; string name = 2;'],
    ['a field renamed', 'int32 id = 1;', 'int32 key = 1;'],
    ['int32 widened to int64', 'int32 id = 1;', 'int64 id = 1;'],
    [
      'int32 to uint32 and bool, one wire type',
      'int32 id = 1; bool on = 2;',
      'uint32 id = 1; uint64 on = 2;',
    ],
    ['sint32 to sint64', 'sint32 id = 1;', 'sint64 id = 1;'],
    ['fixed32 to sfixed32', 'fixed32 id = 1;', 'sfixed32 id = 1;'],
    ['string to bytes', 'string id = 1;', 'bytes id = 1;'],
    ['a string made repeated', 'string tag = 1;', 'repeated string tag = 1;'],
    ['a field made optional', 'int32 id = 1;', 'optional int32 id = 1;'],
    [
      'one field moved into a new oneof',
      'int32 id = 1; string name = 2;',
      'string name = 2; oneof key { int32 id = 1; }',
    ],
    ['a field removed with its number reserved', 'int32 id = 1; int32 age = 3;', 'int32 id = 1; reserved 3;'],
    [
      'a field removed with its name reserved',
      'int32 id = 1; int32 age = 3;',
      'int32 id = 1; reserved "age";',
    ],
    [
      'a field removed with its number in a reserved range',
      'int32 id = 1; int32 age = 3;',
      'int32 id = 1; reserved 2 to 5;',
    ],
  ])('accepts %s at FULL_TRANSITIVE', (_name, before, after) => {
    expect(check(person(before), person(after), 'FULL_TRANSITIVE')).toEqual([]);
  });

  it('accepts a message added after the others, and a nested one', () => {
    const before = proto3('message A { int32 a = 1; } message B { int32 b = 1; }');
    const after = proto3(
      'message A { int32 a = 1; message Nested { int32 n = 1; } } message B { int32 b = 1; } message C {}',
    );
    expect(check(before, after, 'FULL')).toEqual([]);
  });

  it('accepts the same MyMessage again', () => {
    expect(check(myMessageProto, myMessageProto, 'FULL_TRANSITIVE')).toEqual([]);
  });
});

describe('protobuf > compatibility > field types', () => {
  it('refuses a field number reused with another type, naming message, field and number', () => {
    expect(
      check(person('int32 id = 1; int32 age = 3;'), person('int32 id = 1; string age = 3;'), 'FULL'),
    ).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.Person: field "age" (3): type changed from int32 to string',
      'forward: version 1 cannot read data written with the new schema: message pkg.Person: field "age" (3): type changed from string to int32',
    ]);
  });

  it.each<[string, string, string, string]>([
    [
      'int32 to sint32 (varint to zigzag)',
      'int32 n = 1;',
      'sint32 n = 1;',
      'type changed from int32 to sint32',
    ],
    ['fixed32 to fixed64', 'fixed32 n = 1;', 'fixed64 n = 1;', 'type changed from fixed32 to fixed64'],
    ['float to double', 'float n = 1;', 'double n = 1;', 'type changed from float to double'],
    [
      'an enum to int32',
      'Color n = 1; enum Color { RED = 0; }',
      'int32 n = 1; enum Color { RED = 0; }',
      'type changed from pkg.Person.Color to int32',
    ],
    [
      'one message type to another',
      'A n = 1; message A {} message B {}',
      'B n = 1; message A {} message B {}',
      'type changed from pkg.Person.A to pkg.Person.B',
    ],
    [
      'a map key type',
      'map<string, int32> n = 1;',
      'map<int32, int32> n = 1;',
      'map key type changed from string to int32',
    ],
    [
      'a map value type',
      'map<string, int32> n = 1;',
      'map<string, string> n = 1;',
      'type changed from int32 to string',
    ],
    [
      'a map to a repeated field',
      'map<string, int32> n = 1;',
      'repeated int32 n = 1;',
      'changed from a map to a non-map field',
    ],
    ['an int32 made repeated', 'int32 n = 1;', 'repeated int32 n = 1;', 'changed from singular to repeated'],
  ])('refuses %s', (_name, before, after, problem) => {
    expect(check(person(before), person(after))).toEqual([
      `backward: new schema cannot read data written with version 1: message pkg.Person: field "n" (1): ${problem}`,
    ]);
  });

  it('finds a change inside a message type a field holds', () => {
    const before = person('Address home = 1; message Address { string city = 1; }');
    const after = person('Address home = 1; message Address { int32 city = 1; }');
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.Person.Address: field "city" (1): type changed from string to int32',
    ]);
  });

  it('finds a change in a referenced file', () => {
    const address = (type: string) =>
      `syntax = "proto3"; package common; message Address { ${type} city = 1; }`;
    const customer =
      'syntax = "proto3"; package shop; import "common/address.proto"; message Customer { common.Address home = 1; }';
    const old = resolvedSchema(customer, {
      version: 1,
      dependencies: [dependency('common/address.proto', address('string'), 'address', 1)],
    });
    const next = resolvedSchema(customer, {
      dependencies: [dependency('common/address.proto', address('bool'), 'address', 2)],
    });
    expect(checkCompatibility(format, next, [old], 'BACKWARD').messages).toEqual([
      'backward: new schema cannot read data written with version 1: message common.Address: field "city" (1): type changed from string to bool',
    ]);
  });
});

describe('protobuf > compatibility > removed fields', () => {
  it('refuses a field removed without its number or name reserved, whichever way it is checked', () => {
    const before = person('int32 id = 1; int32 age = 3;');
    const after = person('int32 id = 1;');
    expect(check(before, after, 'BACKWARD')).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.Person: field "age" (3) was removed without reserving its number or name',
    ]);
    expect(check(before, after, 'FORWARD')).toEqual([
      'forward: version 1 cannot read data written with the new schema: message pkg.Person: field "age" (3) was removed without reserving its number or name',
    ]);
  });

  it('does not take a field added for one removed, in either direction', () => {
    expect(check(person('int32 id = 1;'), person('int32 id = 1; int32 age = 3;'), 'FULL')).toEqual([]);
  });

  it('compares two unregistered schemas as reader newer than writer', () => {
    const reader = resolvedSchema(person('int32 id = 1;'));
    const writer = resolvedSchema(person('int32 id = 1; int32 age = 3;'));
    expect(format.readerIncompatibilities(reader, writer)).toEqual([
      'message pkg.Person: field "age" (3) was removed without reserving its number or name',
    ]);
    expect(format.readerIncompatibilities(writer, reader)).toEqual([]);
  });

  it('takes the newer schema from the compatibility check, whatever the versions say', () => {
    // A registered version given without its version number: the check still knows the candidate.
    const registered = resolvedSchema(person('int32 id = 1; int32 age = 3;'));
    const candidate = resolvedSchema(person('int32 id = 1;'));
    const removed = 'message pkg.Person: field "age" (3) was removed without reserving its number or name';
    expect(checkCompatibility(format, candidate, [registered], 'FORWARD').messages).toEqual([
      `forward: an older version cannot read data written with the new schema: ${removed}`,
    ]);
    expect(format.readerIncompatibilities(registered, candidate, 'writer')).toEqual([removed]);
    expect(format.readerIncompatibilities(candidate, registered, 'writer')).toEqual([]);
  });
});

describe('protobuf > compatibility > messages and enums', () => {
  it('refuses a message renamed at the same index path', () => {
    const before = proto3('message First { int32 a = 1; } message Second { int32 b = 1; }');
    const after = proto3('message First { int32 a = 1; } message Later { int32 b = 1; }');
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message at indexes [1] was renamed from pkg.Second to pkg.Later',
    ]);
  });

  it('refuses messages reordered, since their indexes change', () => {
    const before = proto3('message A { int32 a = 1; } message B { int32 b = 1; }');
    const after = proto3('message B { int32 b = 1; } message A { int32 a = 1; }');
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message at indexes [0] was renamed from pkg.A to pkg.B',
      'backward: new schema cannot read data written with version 1: message at indexes [1] was renamed from pkg.B to pkg.A',
    ]);
  });

  it('refuses a message removed', () => {
    const before = proto3('message A { int32 a = 1; message Inner {} }');
    const after = proto3('message A { int32 a = 1; }');
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.A.Inner (indexes [0,0]) was removed',
    ]);
  });

  it('refuses a package changed', () => {
    const after = myMessageProto.replace('package io.schemawire.example;', 'package io.schemawire.other;');
    expect(check(myMessageProto, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message at indexes [0] was renamed from io.schemawire.example.MyMessage to io.schemawire.other.MyMessage',
    ]);
  });

  it('refuses an enum renamed, at the top level or in a message', () => {
    const before = proto3('enum Color { RED = 0; } message A { enum Size { S = 0; } Size size = 1; }');
    const after = proto3(
      'enum Colour { RED = 0; } message A { enum Dimension { S = 0; } Dimension size = 1; }',
    );
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.A: field "size" (1): type changed from pkg.A.Size to pkg.A.Dimension',
      'backward: new schema cannot read data written with version 1: enum pkg.A.Size was renamed to pkg.A.Dimension',
      'backward: new schema cannot read data written with version 1: enum pkg.Color was renamed to pkg.Colour',
    ]);
  });
});

describe('protobuf > compatibility > oneofs', () => {
  it('refuses two existing fields moved into a new oneof', () => {
    expect(
      check(person('int32 id = 1; string name = 2;'), person('oneof key { int32 id = 1; string name = 2; }')),
    ).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.Person: fields "id" (1), "name" (2) moved into oneof "key"',
    ]);
  });

  it('refuses a field moved into an existing oneof', () => {
    const before = person('int32 id = 1; oneof key { string name = 2; }');
    const after = person('oneof key { string name = 2; int32 id = 1; }');
    expect(check(before, after)).toEqual([
      'backward: new schema cannot read data written with version 1: message pkg.Person: fields "name" (2), "id" (1) moved into oneof "key"',
    ]);
  });

  it('refuses a field moved out of a oneof when the old schema reads the new data', () => {
    const before = person('oneof key { int32 id = 1; string name = 2; }');
    const after = person('int32 id = 1; oneof key { string name = 2; }');
    expect(check(before, after, 'BACKWARD')).toEqual([]);
    expect(check(before, after, 'FORWARD')).toEqual([
      'forward: version 1 cannot read data written with the new schema: message pkg.Person: fields "id" (1), "name" (2) moved into oneof "key"',
    ]);
  });
});

describe('protobuf > compatibility > proto2 required fields', () => {
  const proto2 = (fields: string) => `syntax = "proto2";\nmessage Order {\n${fields}\n}\n`;

  it('refuses a required field the writer has not got', () => {
    expect(
      check(proto2('required int32 id = 1;'), proto2('required int32 id = 1; required int32 qty = 2;')),
    ).toEqual([
      'backward: new schema cannot read data written with version 1: message Order: field "qty" (2) is required, and the writer has no such field',
    ]);
  });

  it('refuses a field made required that the writer may leave out', () => {
    expect(check(proto2('optional int32 id = 1;'), proto2('required int32 id = 1;'))).toEqual([
      'backward: new schema cannot read data written with version 1: message Order: field "id" (1): is required, and the writer may leave it out',
    ]);
  });

  it('accepts a required field made optional', () => {
    expect(check(proto2('required int32 id = 1;'), proto2('optional int32 id = 1;'))).toEqual([]);
  });
});

describe('protobuf > compatibility > embedded registry', () => {
  it('refuses to register an incompatible version, and registers a compatible one', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    await registry.register('people-value', { schemaType: 'PROTOBUF', schema: myMessageProto });
    const error = await registry
      .register('people-value', {
        schemaType: 'PROTOBUF',
        schema: myMessageProto.replace('int32 age = 3;', 'string age = 3;'),
      })
      .catch((caught: unknown) => caught);
    expect(isSchemaWireError(error, ErrorCode.IncompatibleSchema)).toBe(true);
    expect((error as Error).message).toContain('field \\"age\\" (3): type changed from int32 to string');
    const added = myMessageProto.replace('int32 age = 3;', 'int32 age = 3;\n  string email = 4;');
    expect((await registry.register('people-value', { schemaType: 'PROTOBUF', schema: added })).version).toBe(
      2,
    );
  });
});
