import { describe, expect, it } from '@jest/globals';
import { ErrorCode, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import protobuf from 'protobufjs';
import { failure } from './support/failures.js';
import { myMessageProto } from './support/proto-files.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();

const everyTypeProto = `syntax = "proto3";
package types;

enum Color {
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
}

message Item {
  string item_name = 1;
}

message Every {
  double a_double = 1;
  float a_float = 2;
  int32 an_int32 = 3;
  uint32 a_uint32 = 4;
  sint32 a_sint32 = 5;
  fixed32 a_fixed32 = 6;
  sfixed32 an_sfixed32 = 7;
  int64 an_int64 = 8;
  uint64 a_uint64 = 9;
  sint64 a_sint64 = 10;
  fixed64 a_fixed64 = 11;
  sfixed64 an_sfixed64 = 12;
  bool a_bool = 13;
  string a_string = 14;
  bytes some_bytes = 15;
  Color color = 16;
  Item item = 17;
  repeated Item items = 18;
  map<int32, string> by_number = 19;
  map<string, Item> by_name = 20;
  map<bool, int32> by_flag = 23;
  oneof choice {
    string text = 21;
    int32 number = 22;
  }
}
`;

const every = format.compile(resolvedSchema(everyTypeProto), { messageName: 'types.Every' });
const roundTrip = (value: unknown) => every.decode(every.encode(value, 0), 0, [1]);
const problem = (value: unknown) =>
  failure(() => every.encode(value, 0), ErrorCode.SerializationFailed).message;

describe('protobuf > plain message > fitting values', () => {
  it('round-trips a value of every field type, in the forms values decode to', () => {
    const value = {
      aDouble: 1.5,
      aFloat: 0.25,
      anInt32: -(2 ** 31),
      aUint32: 2 ** 32 - 1,
      aSint32: -7,
      aFixed32: 7,
      anSfixed32: -8,
      anInt64: '-9223372036854775808',
      aUint64: '18446744073709551615',
      aSint64: '-9007199254740993',
      aFixed64: '9007199254740993',
      anSfixed64: '-1',
      aBool: true,
      aString: 'héllo',
      someBytes: 'AQID',
      color: 'COLOR_RED',
      item: { itemName: 'x' },
      items: [{ itemName: 'a' }, { itemName: 'b' }],
      byNumber: { '-1': 'minus one', '7': 'seven' },
      byName: { k: { itemName: 'v' } },
      byFlag: { true: 5 },
      text: 'chosen',
      choice: 'text',
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('takes the .proto field names as well as the JSON names, at any depth', () => {
    const value = {
      an_int32: 3,
      item: { item_name: 'x' },
      by_name: { k: { item_name: 'v' } },
      items: [{ item_name: 'a' }],
    };
    expect(roundTrip(value)).toMatchObject({
      anInt32: 3,
      item: { itemName: 'x' },
      byName: { k: { itemName: 'v' } },
      items: [{ itemName: 'a' }],
    });
  });

  it('takes numbers and decimal text for integers, bigints and Longs for 64-bit ones, numbers for enums', () => {
    const value = {
      anInt32: '12',
      anInt64: 2n ** 62n,
      aUint64: 5,
      aSint64: { low: 1, high: 1, unsigned: false },
      color: 1,
      someBytes: Uint8Array.of(1, 2, 3),
    };
    expect(roundTrip(value)).toMatchObject({
      anInt32: 12,
      anInt64: String(2n ** 62n),
      aUint64: '5',
      aSint64: String(2 ** 32 + 1),
      color: 'COLOR_RED',
      someBytes: 'AQID',
    });
  });

  it('treats null and undefined as fields left unset', () => {
    expect(roundTrip({ aString: null, item: undefined, color: null })).toMatchObject({
      aString: '',
      item: null,
      color: 'COLOR_UNSPECIFIED',
    });
  });

  it('writes a double that is NaN, which is not the default', () => {
    expect(roundTrip({ aDouble: Number.NaN, aFloat: 'Infinity' })).toMatchObject({
      aDouble: Number.NaN,
      aFloat: Number.POSITIVE_INFINITY,
    });
  });

  it('writes the same bytes as protobufjs for the values it converts (defaults left out)', () => {
    const value = { anInt32: '-5', color: 'COLOR_RED', anInt64: 7n, aString: '', items: [{ itemName: 'a' }] };
    const type = protobuf.parse(everyTypeProto).root.lookupType('types.Every');
    const expected = type
      .encode(type.fromObject({ anInt32: -5, color: 1, anInt64: '7', items: [{ itemName: 'a' }] }))
      .finish();
    expect(every.encode(value, 0).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('takes JSON names that are not identifiers, and keeps the .proto name where protobufjs cannot use one', () => {
    const codec = format.compile(
      resolvedSchema(`syntax = "proto3";
message Odd {
  string spaced = 1 [json_name = "a b"];
  string dollar = 2 [json_name = "$x"];
}`),
    );
    const bytes = codec.encode({ 'a b': 'one', dollar: 'two' }, 0);
    expect(codec.decode(bytes, 0, [0])).toEqual({ 'a b': 'one', dollar: 'two' });
    expect(codec.encode({ spaced: 'one', dollar: 'two' }, 0)).toEqual(bytes);
    expect(failure(() => codec.encode({ $x: 'two' }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "$x" is not in message Odd',
    );
  });

  it('reads fields named like members every object inherits only from the value itself', () => {
    const codec = format.compile(
      resolvedSchema('syntax = "proto3"; message Inherited { string constructor = 1; int32 to_string = 2; }'),
    );
    expect(codec.decode(codec.encode({}, 0), 0, [0])).toEqual({ constructor: '', toString: 0 });
    expect(codec.decode(codec.encode({ constructor: 'c', toString: 2 }, 0), 0, [0])).toEqual({
      constructor: 'c',
      toString: 2,
    });
  });

  it('keeps a map entry whose key is __proto__', () => {
    const value = { byName: JSON.parse('{"__proto__": {"itemName": "x"}}') as Record<string, unknown> };
    const decoded = roundTrip(value) as { byName: Record<string, unknown> };
    expect(Object.keys(decoded.byName)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(decoded.byName, '__proto__')?.value).toEqual({ itemName: 'x' });
  });

  it('takes bytes as standard or URL-safe base64, padded or not', () => {
    for (const text of ['-_8', '+/8=', '+/8', 'AQID', '']) {
      const expected = Buffer.from(text, 'base64').toString('base64');
      expect(roundTrip({ someBytes: text })).toMatchObject({ someBytes: expected });
    }
  });

  it('ignores a json_name option that is not text', () => {
    const codec = format.compile(
      resolvedSchema('syntax = "proto3"; message Odd { int32 some_count = 1 [json_name = true]; }'),
    );
    expect(codec.decode(codec.encode({ someCount: 2 }, 0), 0, [0])).toEqual({ someCount: 2 });
  });

  it('leaves the value it was given as it was', () => {
    const value = { an_int64: 5n, item: { item_name: 'x' } };
    roundTrip(value);
    expect(value).toEqual({ an_int64: 5n, item: { item_name: 'x' } });
  });
});

describe('protobuf > plain message > values that do not fit', () => {
  it('names the field of MyMessage that does not fit, through a serializer', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const serializer = new Serializer({
      registry,
      formats: [format],
      schema: { schemaType: 'PROTOBUF', schema: myMessageProto },
    });
    const error = await serializer
      .serialize('people', { id: 1, name: 'Ada', age: 'old' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.SerializationFailed,
      message: 'cannot serialize value: field "age": int32 expected, got "old"',
      topic: 'people',
    });
  });

  it.each<[string, unknown, string]>([
    ['a string for an int32', { anInt32: 'x' }, 'field "anInt32": int32 expected, got "x"'],
    ['a fraction for an int32', { anInt32: 1.5 }, 'field "anInt32": int32 expected, got 1.5'],
    ['an int32 out of range', { anInt32: 2 ** 31 }, 'field "anInt32": int32 expected, got 2147483648'],
    ['a negative uint32', { aUint32: -1 }, 'field "aUint32": uint32 expected, got -1'],
    ['a negative uint64', { aUint64: '-1' }, 'field "aUint64": uint64 expected, got "-1"'],
    [
      'an int64 out of range',
      { anInt64: '9223372036854775808' },
      'field "anInt64": int64 expected, got "9223372036854775808"',
    ],
    ['a string for a bool', { aBool: 'false' }, 'field "aBool": boolean expected, got "false"'],
    ['a number for a string', { aString: 5 }, 'field "aString": string expected, got 5'],
    ['text for a double', { aDouble: 'many' }, 'field "aDouble": number expected, got "many"'],
    [
      'bad base64 for bytes',
      { someBytes: 'not base64!' },
      'field "someBytes": bytes expected (a Uint8Array or base64 text), got "not base64!"',
    ],
    [
      'an unknown enum name',
      { color: 'COLOR_BLUE' },
      'field "color": enum types.Color value expected (a name or an int32), got "COLOR_BLUE"',
    ],
    ['a scalar for a message', { item: 'x' }, 'field "item": message types.Item expected, got "x"'],
    ['a nested field', { item: { itemName: 3 } }, 'field "item.itemName": string expected, got 3'],
    ['an object for a repeated field', { items: {} }, 'field "items": array expected, got {}'],
    [
      'an element of a repeated field',
      { items: [{ itemName: 'a' }, { itemName: 1 }] },
      'field "items[1].itemName": string expected, got 1',
    ],
    [
      'a map key of the wrong type',
      { byNumber: { one: 'x' } },
      'field "byNumber[one]": int32 map key expected, got "one"',
    ],
    [
      'base64 of no whole number of bytes',
      { someBytes: 'AQIDB' },
      'field "someBytes": bytes expected (a Uint8Array or base64 text), got "AQIDB"',
    ],
    [
      'padding alone for bytes',
      { someBytes: '=' },
      'field "someBytes": bytes expected (a Uint8Array or base64 text), got "="',
    ],
    [
      'a key of its own beside a field it inherits',
      Object.assign(Object.create({ aString: 'inherited' }) as object, { typo: 1 }),
      'field "typo" is not in message types.Every',
    ],
    [
      // protobufjs 7 would write the key as true.
      'a false bool map key',
      { byFlag: { false: 1 } },
      'field "byFlag[false]": bool map key true expected (protobufjs 7 would write false as true), got "false"',
    ],
    [
      'a map value',
      { byName: { k: { itemName: false } } },
      'field "byName[k].itemName": string expected, got false',
    ],
    [
      'a field the message does not have',
      { ageInYears: 3 },
      'field "ageInYears" is not in message types.Every',
    ],
    [
      'a nested field the message does not have',
      { item: { colour: 'red' } },
      'field "item.colour" is not in message types.Item',
    ],
    [
      'a field given under both its names',
      { an_int32: 1, anInt32: 2 },
      'field "an_int32" is given twice, as "an_int32" and "anInt32"',
    ],
    [
      'two fields of a oneof',
      { text: 'a', number: 1 },
      'oneof "choice" has several fields set: "text", "number"',
    ],
    ['a value that is not an object', 42, 'message types.Every expected, got 42'],
    ['an array for the message', [], 'message types.Every expected, got []'],
  ])('refuses %s, naming the field', (_name, value, detail) => {
    expect(problem(value)).toBe(`cannot serialize value: ${detail}`);
  });

  it('refuses a value that nests too deep (a cycle) with a typed error', () => {
    const recursive = format.compile(resolvedSchema('syntax = "proto3"; message Node { Node next = 1; }'));
    const node: Record<string, unknown> = {};
    node['next'] = node;
    expect(failure(() => recursive.encode(node, 0), ErrorCode.SerializationFailed).message).toMatch(
      /^cannot serialize value: field "next(\.next)+": messages nested at most 100 deep/,
    );
  });

  it('refuses a proto2 message without its required fields', () => {
    const text = 'syntax = "proto2"; message Order { required int32 id = 1; optional string note = 2; }';
    const codec = format.compile(resolvedSchema(text));
    expect(failure(() => codec.encode({ note: 'x' }, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "id" is required but missing',
    );
  });
});
