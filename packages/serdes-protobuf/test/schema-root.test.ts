import { describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, isSchemaWireError, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { failure } from './support/failures.js';
import { multiMessageProto } from './support/proto-files.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();

const addressProto = `syntax = "proto3";
package common;

message Address {
  string street = 1;
  string city = 2;
}
`;

const customerProto = `syntax = "proto3";
package shop;

import "common/address.proto";

message Customer {
  string name = 1;
  common.Address address = 2;
}
`;

describe('protobuf > schema root > message indexes', () => {
  it.each<[string, number[]]>([
    ['pkg.First', [0]],
    ['pkg.Outer', [1]],
    ['pkg.Outer.Inner', [1, 0]],
    ['pkg.Outer.Other', [1, 1]],
    ['pkg.Last', [2]],
  ])('gives %s the indexes %j: enums and services do not count', (messageName, indexes) => {
    const codec = format.compile(resolvedSchema(multiMessageProto), { messageName });
    expect(codec.messageIndexes).toEqual(indexes);
    expect(codec.typeName).toBe(messageName);
  });

  it("takes a full name with protobuf's leading dot too", () => {
    expect(
      format.compile(resolvedSchema(multiMessageProto), { messageName: '.pkg.Last' }).messageIndexes,
    ).toEqual([2]);
  });

  it("counts the messages of the schema's own file only, not those of the files it imports", () => {
    const text =
      'syntax = "proto3"; package common; import "common/address.proto"; message Home { Address address = 1; }';
    const schema = resolvedSchema(text, {
      dependencies: [dependency('common/address.proto', addressProto, 'address')],
    });
    const codec = format.compile(schema);
    expect(codec.typeName).toBe('common.Home');
    expect(codec.messageIndexes).toEqual([0]);
    expect(
      failure(() => format.compile(schema, { messageName: 'common.Address' }), ErrorCode.InvalidSchema)
        .message,
    ).toBe(
      'cannot parse protobuf schema: the schema has no message "common.Address" (its messages: "common.Home")',
    );
  });

  it('refuses to compile a schema without messages, which is still a valid schema', () => {
    const schema = resolvedSchema('syntax = "proto3"; package pkg; enum Color { RED = 0; }');
    expect(() => format.validate(schema)).not.toThrow();
    expect(failure(() => format.compile(schema), ErrorCode.InvalidSchema).message).toBe(
      'cannot parse protobuf schema: the schema has no message type to write',
    );
  });
});

describe('protobuf > schema root > references', () => {
  it('resolves an import through a registered subject the schema references', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const address = await registry.register('address', { schemaType: 'PROTOBUF', schema: addressProto });
    const customer = {
      schemaType: 'PROTOBUF' as const,
      schema: customerProto,
      references: [{ name: 'common/address.proto', subject: 'address', version: address.version ?? 1 }],
    };
    const serializer = new Serializer({ registry, formats: [format], schema: customer });
    const value = { name: 'Ada', address: { street: '1 Main St', city: 'London' } };
    const payload = await serializer.serialize('customers', value);
    expect(payload.bytes!.subarray(5, 6).toString('hex')).toBe('00');
    const decoded = await new Deserializer({ registry, formats: [format] }).deserialize({
      value: payload.bytes,
    });
    expect(decoded?.value).toEqual(value);
  });

  it('names the import a schema lacks, and the registry refuses it as invalid', async () => {
    expect(
      failure(() => format.validate(resolvedSchema(customerProto)), ErrorCode.InvalidSchema).message,
    ).toBe(
      'cannot parse protobuf schema: import "common/address.proto" is not available: register it and reference it by that name, or give it to the format as an extra file',
    );
    const registry = new EmbeddedRegistry({ formats: [format] });
    const error = await registry
      .register('customers-value', { schemaType: 'PROTOBUF', schema: customerProto })
      .catch((caught: unknown) => caught);
    expect(isSchemaWireError(error, ErrorCode.InvalidSchema)).toBe(true);
    expect((error as Error).message).toContain('import "common/address.proto" is not available');
  });

  it('names the import whose text does not parse, with its subject and version', () => {
    const schema = resolvedSchema(customerProto, {
      dependencies: [
        dependency('common/address.proto', 'syntax = "proto3"; message Address {', 'address', 3),
      ],
    });
    expect(failure(() => format.validate(schema), ErrorCode.InvalidSchema).message).toBe(
      'cannot parse protobuf schema: import "common/address.proto" (subject "address", version 3): the text ends inside a declaration',
    );
  });

  it('loads the imports of imports', () => {
    const money = 'syntax = "proto3"; package common; message Money { int64 cents = 1; }';
    const priced = `syntax = "proto3"; package common; import "common/money.proto"; message Priced { Money price = 1; }`;
    const order =
      'syntax = "proto3"; package shop; import "common/priced.proto"; message Order { common.Priced item = 1; }';
    const codec = format.compile(
      resolvedSchema(order, {
        dependencies: [
          dependency('common/money.proto', money, 'money'),
          dependency('common/priced.proto', priced, 'priced'),
        ],
      }),
    );
    expect(codec.decode(codec.encode({ item: { price: { cents: '250' } } }, 0), 0, [0])).toEqual({
      item: { price: { cents: '250' } },
    });
  });

  it('takes extra files given to the format without their registration', () => {
    const withFiles = protobufFormat({ files: { 'common/address.proto': addressProto } });
    const codec = withFiles.compile(resolvedSchema(customerProto));
    const value = { name: 'Ada', address: { street: 'x', city: 'y' } };
    expect(codec.decode(codec.encode(value, 0), 0, [0])).toEqual(value);
  });

  it('prefers a referenced file to an extra file of the same import path', () => {
    const stale = 'syntax = "proto3"; package common; message Address { int32 street = 1; }';
    const withFiles = protobufFormat({ files: { 'common/address.proto': stale } });
    const codec = withFiles.compile(
      resolvedSchema(customerProto, {
        dependencies: [dependency('common/address.proto', addressProto, 'address')],
      }),
    );
    expect(codec.decode(codec.encode({ address: { street: 'x' } }, 0), 0, [0])).toMatchObject({
      address: { street: 'x' },
    });
  });

  it('skips a weak import nothing provides', () => {
    const text = 'syntax = "proto3"; import weak "missing/extra.proto"; message A { int32 a = 1; }';
    expect(() => format.validate(resolvedSchema(text))).not.toThrow();
  });
});

describe('protobuf > schema root > well-known types', () => {
  it('reads a Timestamp field without the timestamp file being registered', async () => {
    const text = `syntax = "proto3";
package events;
import "google/protobuf/timestamp.proto";
message Event {
  string name = 1;
  google.protobuf.Timestamp at = 2;
}`;
    const registry = new EmbeddedRegistry({ formats: [format] });
    const serializer = new Serializer({
      registry,
      formats: [format],
      schema: { schemaType: 'PROTOBUF', schema: text },
    });
    const value = { name: 'launch', at: { seconds: '1700000000', nanos: 5 } };
    const payload = await serializer.serialize('events', value);
    // Field 2, length 8: seconds (field 1) as a 5-byte varint, nanos (field 2) 5.
    expect(payload.bytes!.subarray(14).toString('hex')).toBe('12080880e2cfaa061005');
    const decoded = await new Deserializer({ registry, formats: [format] }).deserialize({
      value: payload.bytes,
    });
    expect(decoded?.value).toEqual(value);
  });

  it.each(['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'])(
    'provides google/protobuf/%s.proto',
    (name) => {
      const text = `syntax = "proto3"; import "google/protobuf/${name}.proto"; message A { int32 a = 1; }`;
      expect(() => format.validate(resolvedSchema(text))).not.toThrow();
    },
  );

  it('provides google/protobuf/descriptor.proto, for custom options', () => {
    const text = `syntax = "proto3";
package opts;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions {
  string sensitivity = 50001;
}
message Person {
  string email = 1 [(sensitivity) = "pii"];
}`;
    const codec = format.compile(resolvedSchema(text));
    expect(codec.decode(codec.encode({ email: 'a@b.c' }, 0), 0, [0])).toEqual({ email: 'a@b.c' });
  });

  it('reads wrappers and a Struct as their messages', () => {
    const text = `syntax = "proto3";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
message A {
  google.protobuf.Int32Value count = 1;
  google.protobuf.Struct extra = 2;
}`;
    const codec = format.compile(resolvedSchema(text));
    const value = { count: { value: 3 }, extra: { fields: { k: { stringValue: 'v' } } } };
    expect(codec.decode(codec.encode(value, 0), 0, [0])).toMatchObject(value);
  });
});

describe('protobuf > schema root > invalid schemas', () => {
  it.each<[string, string, RegExp]>([
    [
      'a syntax error',
      'syntax = "proto3"; message A { int32 a = 1 }',
      /^cannot parse protobuf schema: illegal token '}'/,
    ],
    [
      'an unknown type',
      'syntax = "proto3"; message A { Missing m = 1; }',
      /^cannot parse protobuf schema: no such Type or Enum 'Missing'/,
    ],
    [
      'a field number used twice',
      'syntax = "proto3"; message A { int32 a = 1; int32 b = 1; }',
      /duplicate id 1/,
    ],
    ['a type defined twice', 'syntax = "proto3"; message A {} message A {}', /duplicate name 'A'/],
    [
      'a reserved number',
      'syntax = "proto3"; message A { reserved 3; int32 x = 3; }',
      /message A: field "x" uses reserved number 3$/,
    ],
    [
      'the last number of a reserved range',
      'syntax = "proto3"; message A { reserved 2 to 4; int32 x = 4; }',
      /uses reserved number 4$/,
    ],
    [
      'a reserved name',
      'syntax = "proto3"; message A { reserved "x"; int32 x = 1; }',
      /name 'x' is reserved/,
    ],
    [
      'an unterminated comment',
      'syntax = "proto3"; /* message A {}',
      /^cannot parse protobuf schema: illegal comment/,
    ],
  ])('refuses %s with SCHEMAWIRE_INVALID_SCHEMA', (_name, text, message) => {
    expect(failure(() => format.validate(resolvedSchema(text)), ErrorCode.InvalidSchema).message).toMatch(
      message,
    );
    expect(failure(() => format.compile(resolvedSchema(text)), ErrorCode.InvalidSchema).message).toMatch(
      message,
    );
  });

  it('refuses a type an import would define but the schema does not import', () => {
    const text = 'syntax = "proto3"; package shop; message Customer { common.Address address = 1; }';
    const schema = resolvedSchema(text, {
      dependencies: [dependency('common/address.proto', addressProto, 'address')],
    });
    expect(failure(() => format.validate(schema), ErrorCode.InvalidSchema).message).toContain(
      "'common.Address'",
    );
  });
});
