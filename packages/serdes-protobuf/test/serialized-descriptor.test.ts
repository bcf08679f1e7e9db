import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import {
  descriptorField as field,
  multiMessageDescriptor,
  serializedDescriptor as serialized,
} from './support/descriptors.js';
import { failure } from './support/failures.js';
import { multiMessageProto, myMessageProto } from './support/proto-files.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();

const myMessageDescriptor = serialized({
  name: 'my_message.proto',
  package: 'io.schemawire.example',
  syntax: 'proto3',
  messageType: [
    {
      name: 'MyMessage',
      field: [field('id', 1, 'int32'), field('name', 2, 'string'), field('age', 3, 'int32')],
    },
  ],
});

const richDescriptor = serialized({
  name: 'shop/order.proto',
  package: 'shop',
  syntax: 'proto3',
  dependency: ['google/protobuf/timestamp.proto'],
  messageType: [
    {
      name: 'Order',
      field: [
        field('order_id', 1, 'int64'),
        field('lines', 2, 'message', { label: 'LABEL_REPEATED', typeName: '.shop.Order.Line' }),
        field('labels', 3, 'message', { label: 'LABEL_REPEATED', typeName: '.shop.Order.LabelsEntry' }),
        field('note', 4, 'string', { proto3Optional: true, oneofIndex: 0 }),
        field('card', 5, 'string', { oneofIndex: 1 }),
        field('cash', 6, 'bool', { oneofIndex: 1 }),
        field('status', 7, 'enum', { typeName: '.shop.Status' }),
        field('placed_at', 8, 'message', { typeName: '.google.protobuf.Timestamp' }),
        field('legacy', 9, 'string', { jsonName: 'old' }),
        field('weights', 10, 'int32', { label: 'LABEL_REPEATED', options: { packed: false } }),
      ],
      nestedType: [
        { name: 'Line', field: [field('sku', 1, 'string')] },
        {
          name: 'LabelsEntry',
          field: [field('key', 1, 'string'), field('value', 2, 'string')],
          options: { mapEntry: true },
        },
      ],
      oneofDecl: [{ name: '_note' }, { name: 'payment' }],
      reservedRange: [
        { start: 20, end: 21 },
        { start: 30, end: 40 },
      ],
      reservedName: ['gone'],
    },
  ],
  enumType: [
    {
      name: 'Status',
      value: [
        { name: 'STATUS_UNSPECIFIED', number: 0 },
        { name: 'STATUS_OPEN', number: 1 },
        { name: 'STATUS_STARTED', number: 1 },
        { name: 'STATUS_DONE', number: 2 },
      ],
      options: { allowAlias: true },
      reservedRange: [{ start: 5, end: 6 }],
    },
  ],
  service: [
    {
      name: 'Orders',
      method: [{ name: 'Watch', inputType: '.shop.Order', outputType: '.shop.Order', serverStreaming: true }],
    },
  ],
});

const richProto = `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
message Order {
  int64 order_id = 1;
  repeated Line lines = 2;
  map<string, string> labels = 3;
  optional string note = 4;
  oneof payment {
    string card = 5;
    bool cash = 6;
  }
  Status status = 7;
  google.protobuf.Timestamp placed_at = 8;
  string legacy = 9 [json_name = "old"];
  repeated int32 weights = 10 [packed = false];
  reserved 20, 30 to 39;
  reserved "gone";
  message Line { string sku = 1; }
}
enum Status {
  option allow_alias = true;
  STATUS_UNSPECIFIED = 0;
  STATUS_OPEN = 1;
  STATUS_STARTED = 1;
  STATUS_DONE = 2;
  reserved 5 to 6;
}
service Orders {
  rpc Watch (Order) returns (stream Order);
}
`;

describe('protobuf > serialized descriptor', () => {
  it('compiles a base64 FileDescriptorProto as it compiles the same .proto text', () => {
    const fromDescriptor = format.compile(resolvedSchema(myMessageDescriptor));
    const fromText = format.compile(resolvedSchema(myMessageProto));
    const value = { id: 7, name: 'Ada', age: 36 };
    expect(fromDescriptor.typeName).toBe('io.schemawire.example.MyMessage');
    expect(fromDescriptor.messageIndexes).toEqual([0]);
    expect(fromDescriptor.encode(value, 0).equals(fromText.encode(value, 0))).toBe(true);
    expect(fromDescriptor.decode(fromText.encode(value, 0), 0, [0])).toEqual(value);
  });

  it('reads maps, optional fields, oneofs, enums with aliases, JSON names and packing as the text does', () => {
    const value = {
      orderId: '12',
      lines: [{ sku: 'a' }],
      labels: { gift: 'yes' },
      note: '',
      cash: true,
      status: 'STATUS_DONE',
      placedAt: { seconds: '3', nanos: 0 },
      old: 'x',
      weights: [1, 2],
    };
    const fromDescriptor = format.compile(resolvedSchema(richDescriptor));
    const fromText = format.compile(resolvedSchema(richProto));
    const bytes = fromText.encode(value, 0);
    expect(fromDescriptor.encode(value, 0).equals(bytes)).toBe(true);
    expect(fromDescriptor.decode(bytes, 0, [0])).toEqual({ ...value, payment: 'cash' });
    // The nested map entry is not a message of the file: Line is the only nested one.
    expect(
      format.compile(resolvedSchema(richDescriptor), { messageName: 'shop.Order.Line' }).messageIndexes,
    ).toEqual([0, 0]);
  });

  it('gives the messages of a multi-message file the indexes the .proto text gives them', () => {
    for (const messageName of ['pkg.First', 'pkg.Outer', 'pkg.Outer.Inner', 'pkg.Outer.Other', 'pkg.Last']) {
      expect(format.compile(resolvedSchema(multiMessageDescriptor), { messageName }).messageIndexes).toEqual(
        format.compile(resolvedSchema(multiMessageProto), { messageName }).messageIndexes,
      );
    }
    expect(format.canonicalize(resolvedSchema(multiMessageDescriptor), true)).toBe(
      format.canonicalize(resolvedSchema(multiMessageProto), true),
    );
  });

  it('normalizes to what the same .proto text normalizes to', () => {
    expect(format.canonicalize(resolvedSchema(richDescriptor), true)).toBe(
      format.canonicalize(resolvedSchema(richProto), true),
    );
    expect(format.canonicalize(resolvedSchema(myMessageDescriptor), true)).toBe(
      format.canonicalize(resolvedSchema(myMessageProto), true),
    );
  });

  it('resolves references that are serialized descriptors too', () => {
    const address = serialized({
      name: 'common/address.proto',
      package: 'common',
      syntax: 'proto3',
      messageType: [{ name: 'Address', field: [field('city', 1, 'string')] }],
    });
    const customer = serialized({
      name: 'shop/customer.proto',
      package: 'shop',
      syntax: 'proto3',
      dependency: ['common/address.proto'],
      messageType: [
        { name: 'Customer', field: [field('home', 1, 'message', { typeName: '.common.Address' })] },
      ],
    });
    const codec = format.compile(
      resolvedSchema(customer, { dependencies: [dependency('common/address.proto', address, 'address')] }),
    );
    expect(codec.decode(codec.encode({ home: { city: 'Paris' } }, 0), 0, [0])).toEqual({
      home: { city: 'Paris' },
    });
  });

  it('reads proto2 labels and defaults', () => {
    const proto2 = serialized({
      name: 'legacy.proto',
      messageType: [
        {
          name: 'Legacy',
          field: [
            field('id', 1, 'int32', { label: 'LABEL_REQUIRED' }),
            field('size', 2, 'int32', { defaultValue: '5' }),
            field('name', 3, 'string', { defaultValue: 'a "quoted" name' }),
          ],
        },
      ],
    });
    const codec = format.compile(resolvedSchema(proto2));
    expect(codec.decode(codec.encode({ id: 1 }, 0), 0, [0])).toEqual({
      id: 1,
      size: 5,
      name: 'a "quoted" name',
    });
    expect(failure(() => codec.encode({ size: 1 }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "id" is required but missing',
    );
  });

  it.each<[string, string, string]>([
    [
      'a group',
      serialized({
        name: 'g.proto',
        messageType: [{ name: 'G', field: [field('g', 1, 'group', { typeName: '.G' })] }],
      }),
      'cannot parse protobuf schema: serialized descriptor: field "g" is a group, which this format does not read',
    ],
    [
      'an edition',
      serialized({ name: 'e.proto', syntax: 'editions', edition: 'EDITION_2023' }),
      'cannot parse protobuf schema: serialized descriptor: syntax "editions" is not supported',
    ],
  ])('refuses %s', (_name, schema, message) => {
    expect(failure(() => format.validate(resolvedSchema(schema)), ErrorCode.InvalidSchema).message).toBe(
      message,
    );
  });

  it('refuses base64 that is no descriptor', () => {
    expect(failure(() => format.validate(resolvedSchema('////')), ErrorCode.InvalidSchema).message).toMatch(
      /^cannot parse protobuf schema: not a serialized file descriptor: /,
    );
  });
});
