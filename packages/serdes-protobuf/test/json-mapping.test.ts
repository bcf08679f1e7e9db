import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Longs } from '@schemawire/core-client';
import {
  ErrorCode,
  isSchemaWireError,
  parseJsonExactly,
  stringifyJsonExactly,
} from '@schemawire/core-client';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import type { Bufbuild, BufbuildRegistry } from './support/bufbuild.js';
import { bufbuildRegistry, loadBufbuild } from './support/bufbuild.js';
import { descriptorField, serializedDescriptor } from './support/descriptors.js';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const proto = `syntax = "proto3";
package demo;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

message Event {
  string event_id = 1;
  int32 count = 2;
  int64 big = 3;
  uint64 ubig = 4;
  double ratio = 5;
  float small = 6;
  bool flag = 7;
  bytes data = 8;
  Kind kind = 9;
  repeated string tags = 10;
  map<string, int64> totals = 11;
  map<int32, Inner> by_id = 12;
  oneof choice {
    string name = 13;
    Inner inner = 14;
  }
  optional int32 maybe = 15;
  google.protobuf.Timestamp at = 16;
  google.protobuf.Duration took = 17;
  google.protobuf.Int64Value wrapped_long = 18;
  google.protobuf.StringValue wrapped_text = 19;
  google.protobuf.BoolValue wrapped_flag = 20;
  google.protobuf.Struct attrs = 21;
  google.protobuf.Value any_value = 22;
  google.protobuf.ListValue list = 23;
  google.protobuf.FieldMask mask = 24;
  google.protobuf.Any payload = 25;
  google.protobuf.Empty nothing = 26;
  string renamed = 27 [json_name = "otherName"];
  repeated double samples = 28;
  map<int64, string> by_long = 29;
  google.protobuf.DoubleValue wrapped_double = 30;
  google.protobuf.BytesValue wrapped_bytes = 31;
  repeated google.protobuf.Timestamp history = 32;
  enum Kind {
    KIND_UNSPECIFIED = 0;
    KIND_CLICK = 1;
  }
}
message Inner { int32 x = 1; }`;

const Inner = protobuf.parse(proto, { keepCase: true }).root.lookupType('demo.Inner');
const compile = (longs?: Longs) =>
  protobufFormat(longs === undefined ? {} : { longs }).compile(resolvedSchema(proto));
const codec = compile();
const exactCodec = compile('number-or-bigint');

/** JSON as the codec reads it, encodes, decodes and prints it again. */
function printed(json: unknown, through = codec): unknown {
  const body = through.encode(through.fromJson!(json), 0);
  return through.toJson!(through.decode(body, 0));
}

const INNER_URL = 'type.googleapis.com/demo.Inner';
const TIMESTAMP_URL = 'type.googleapis.com/google.protobuf.Timestamp';

describe('serdes-protobuf > json mapping > well-known types', () => {
  it('prints a Timestamp as RFC 3339 text, not as its seconds and nanos', () => {
    // The measured failure: the value printed {"seconds":…,"nanos":…}, and encode refused the text.
    expect(printed({ at: '2026-01-02T03:04:05.678Z' })).toEqual({ at: '2026-01-02T03:04:05.678Z' });
  });

  it.each([
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
    ['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500Z'],
    ['2026-01-02T03:04:05.000001Z', '2026-01-02T03:04:05.000001Z'],
    ['2026-01-02T03:04:05.000000001Z', '2026-01-02T03:04:05.000000001Z'],
    ['2026-01-02T03:04:05.120000Z', '2026-01-02T03:04:05.120Z'],
    ['2026-01-02T04:34:05+01:30', '2026-01-02T03:04:05Z'],
    ['2026-01-01T23:04:05-04:00', '2026-01-02T03:04:05Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
    ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999999999Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
  ])('reads the Timestamp %j and prints %j: 0, 3, 6 or 9 fractional digits, in UTC', (input, output) => {
    expect(printed({ at: input })).toEqual({ at: output });
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-01-02t03:04:05z',
    '2026-01-02T03:04:05',
    '2026-01-02T24:00:00Z',
    '2026-01-02T03:04:05.1234567890Z',
    '10000-01-01T00:00:00Z',
    '0000-12-31T23:59:59Z',
  ])('refuses the Timestamp %j, naming the field', (input) => {
    const error = failure(
      () => codec.fromJson!({ history: ['2026-01-02T03:04:05Z', input] }),
      ErrorCode.SerializationFailed,
    );
    expect(error.message).toContain('cannot serialize value: field "history[1]": timestamp');
    expect(error.message).toContain(JSON.stringify(input));
  });

  it.each([
    ['1.5s', '1.500s'],
    ['-0.5s', '-0.500s'],
    ['0s', '0s'],
    ['3s', '3s'],
    ['1.000000001s', '1.000000001s'],
    ['-315576000000s', '-315576000000s'],
    ['1.010s', '1.010s'],
  ])('reads the Duration %j and prints %j: 0, 3, 6 or 9 fractional digits', (input, output) => {
    expect(printed({ took: input })).toEqual({ took: output });
  });

  it.each(['1.5', '315576000001s', '1.5 s', '--1s', 's'])('refuses the Duration %j', (input) => {
    const error = failure(() => codec.fromJson!({ took: input }), ErrorCode.SerializationFailed);
    expect(error.message).toMatch(/^cannot serialize value: field "took": duration /);
  });

  it('prints the wrappers as their plain values, a wrapped default included', () => {
    const json = {
      wrappedLong: '-9223372036854775808',
      wrappedText: '',
      wrappedFlag: false,
      wrappedDouble: 'NaN',
      wrappedBytes: 'AAE=',
    };
    expect(printed(json)).toEqual(json);
    // The wrappers take numbers and text alike, as the mapping says.
    expect(printed({ wrappedLong: 12, wrappedDouble: '1.5' })).toEqual({
      wrappedLong: '12',
      wrappedDouble: 1.5,
    });
  });

  it('prints Struct, Value and ListValue as plain JSON', () => {
    const json = {
      attrs: { a: 1, b: [true, null, 'x'], c: { d: 2.5, e: {} } },
      anyValue: 'text',
      list: [1, 'two', [], { three: null }],
    };
    expect(printed(json)).toEqual(json);
    expect(printed({ anyValue: { nested: [false] } })).toEqual({ anyValue: { nested: [false] } });
  });

  it('reads null for a Value field as the null value, and null elsewhere as a field left out', () => {
    expect(printed({ anyValue: null, count: null, at: null, tags: null })).toEqual({ anyValue: null });
  });

  it('prints a FieldMask as lowerCamelCase paths joined by commas', () => {
    expect(codec.fromJson!({ mask: 'a.bC,eventId' })).toEqual({ mask: { paths: ['a.b_c', 'event_id'] } });
    expect(printed({ mask: 'a.bC,eventId' })).toEqual({ mask: 'a.bC,eventId' });
    expect(printed({ mask: '' })).toEqual({ mask: '' });
    const error = failure(() => codec.fromJson!({ mask: 'a,b_c' }), ErrorCode.SerializationFailed);
    expect(error.message).toBe(
      'cannot serialize value: field "mask": field mask path "b_c" is not lowerCamelCase field names',
    );
  });

  it('prints an Any with "@type" and its message\'s fields, or "value" for a well-known type', () => {
    const plain = { payload: { '@type': INNER_URL, x: 5 } };
    expect(printed(plain)).toEqual(plain);
    const wellKnown = { payload: { '@type': TIMESTAMP_URL, value: '2026-01-02T03:04:05Z' } };
    expect(printed(wellKnown)).toEqual(wellKnown);
    const nested = {
      payload: {
        '@type': 'type.googleapis.com/google.protobuf.Any',
        value: { '@type': INNER_URL, x: 1 },
      },
    };
    expect(printed(nested)).toEqual(nested);
    const empty = { payload: { '@type': 'type.googleapis.com/google.protobuf.Empty' } };
    expect(printed(empty)).toEqual(empty);
    expect(printed({ payload: {} })).toEqual({ payload: {} });
  });

  it("packs an Any's message into the bytes protobufjs writes for it", () => {
    const read = codec.fromJson!({ payload: { '@type': INNER_URL, x: 5 } }) as {
      payload: { type_url: string; value: Uint8Array };
    };
    expect(read.payload.type_url).toBe(INNER_URL);
    expect(Buffer.from(read.payload.value)).toEqual(Buffer.from(Inner.encode({ x: 5 }).finish()));
  });

  it('refuses an Any without "@type", of a type the schema lacks, or with fields its message lacks', () => {
    expect(failure(() => codec.fromJson!({ payload: { x: 5 } }), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "payload": an Any needs its message type\'s URL as "@type", got undefined',
    );
    expect(
      failure(
        () => codec.fromJson!({ payload: { '@type': 'type.googleapis.com/demo.Nope' } }),
        ErrorCode.SerializationFailed,
      ).message,
    ).toContain('an Any holds "type.googleapis.com/demo.Nope", a message type the schema does not define');
    expect(
      failure(() => codec.fromJson!({ payload: { '@type': INNER_URL, y: 1 } }), ErrorCode.SerializationFailed)
        .message,
    ).toContain(
      'field "payload": in an Any of type.googleapis.com/demo.Inner: field "y" is not in message demo.Inner',
    );
  });

  it('prints Empty as {}', () => {
    expect(printed({ nothing: {} })).toEqual({ nothing: {} });
  });
});

describe('serdes-protobuf > json mapping > fields', () => {
  it('prints JSON names and reads both the JSON and the .proto names', () => {
    expect(printed({ event_id: 'a', renamed: 'b' })).toEqual({ eventId: 'a', otherName: 'b' });
    expect(printed({ eventId: 'a', otherName: 'b' })).toEqual({ eventId: 'a', otherName: 'b' });
  });

  it('prints enums by name, reads names and numbers, and keeps numbers it has no name for', () => {
    expect(printed({ kind: 'KIND_CLICK' })).toEqual({ kind: 'KIND_CLICK' });
    expect(printed({ kind: 1 })).toEqual({ kind: 'KIND_CLICK' });
    expect(printed({ kind: 7 })).toEqual({ kind: 7 });
  });

  it('prints bytes as standard base64 and reads URL-safe base64 too', () => {
    expect(printed({ data: 'AQID/w==' })).toEqual({ data: 'AQID/w==' });
    expect(printed({ data: 'AQID_w' })).toEqual({ data: 'AQID/w==' });
  });

  it('prints NaN and the infinities as text', () => {
    const json = { ratio: 'NaN', small: '-Infinity', samples: ['Infinity', 1.5, 'NaN'] };
    expect(printed(json)).toEqual(json);
  });

  it('leaves out fields without presence that hold their default, and keeps set optional and oneof fields', () => {
    expect(
      printed({ eventId: '', count: 0, flag: false, kind: 'KIND_UNSPECIFIED', tags: [], totals: {} }),
    ).toEqual({});
    expect(printed({ maybe: 0 })).toEqual({ maybe: 0 });
    expect(printed({ name: '' })).toEqual({ name: '' });
    expect(printed({ inner: {} })).toEqual({ inner: {} });
  });

  it('prints maps with text keys, 64-bit keys in full', () => {
    const json = {
      totals: { a: '12' },
      byId: { '-7': { x: 1 }, '7': {} },
      byLong: { '-9223372036854775808': 'min', '18446744': 'small' },
    };
    expect(printed(json)).toEqual(json);
  });

  it('prints 64-bit integers as the longs option has them: text by default, exact numbers on request', () => {
    const json = {
      big: '9223372036854775807',
      ubig: '18446744073709551615',
      totals: { a: '-9007199254740993' },
    };
    expect(printed(json)).toEqual(json);
    const exact = printed(json, exactCodec);
    expect(exact).toEqual({ big: 2n ** 63n - 1n, ubig: 2n ** 64n - 1n, totals: { a: -(2n ** 53n) - 1n } });
    expect(stringifyJsonExactly(exact)).toBe(
      '{"big":9223372036854775807,"ubig":18446744073709551615,"totals":{"a":-9007199254740993}}',
    );
    expect(printed({ big: 12, ubig: 2n ** 60n }, exactCodec)).toEqual({ big: 12, ubig: 2n ** 60n });
  });

  it('refuses an unknown field, naming it', () => {
    const error = failure(
      () => codec.encode(codec.fromJson!({ inner: { x: 1, nope: 2 } }), 0),
      ErrorCode.SerializationFailed,
    );
    expect(error.message).toBe('cannot serialize value: field "inner.nope" is not in message demo.Inner');
  });

  it("decodes 64-bit map keys as decimal text, not as protobufjs's hashes of their bits", () => {
    const body = codec.encode({ byLong: { '-1': 'a', '5': 'b' } }, 0);
    expect(codec.decode(body, 0)).toMatchObject({ byLong: { '-1': 'a', '5': 'b' } });
  });

  it('prints a message of the file that the message indexes name', () => {
    const innerBody = Buffer.from(Inner.encode({ x: 3 }).finish());
    expect(codec.toJson!(codec.decode(innerBody, 0, [1]), [1])).toEqual({ x: 3 });
  });
});

const INT64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const UINT64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const INT32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
/** JSON numbers hold no -0: a double of a list or a Value would come back as 0. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    finite,
    fc.string(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
  ),
})).value;
/** Nanoseconds of whole milliseconds and microseconds too, which print with fewer digits. */
const nanos = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map((ms) => ms * 1_000_000),
  fc.integer({ min: 0, max: 999_999 }).map((us) => us * 1000),
  fc.integer({ min: 0, max: 999_999_999 }),
);
const name = fc.stringMatching(/^[a-z]{1,5}(_[a-z]{1,5}){0,2}$/);

/** A random Event as `encode` takes it, with every construct and well-known type. */
const event = fc.record(
  {
    event_id: fc.string(),
    count: INT32,
    big: INT64,
    ubig: UINT64,
    ratio: fc.double(),
    small: fc.float(),
    flag: fc.boolean(),
    data: fc.uint8Array({ maxLength: 8 }),
    kind: fc.constantFrom('KIND_UNSPECIFIED', 'KIND_CLICK', 5),
    tags: fc.array(fc.string(), { maxLength: 3 }),
    totals: fc.dictionary(fc.string(), INT64, { maxKeys: 3 }),
    by_id: fc.dictionary(INT32.map(String), fc.record({ x: INT32 }), { maxKeys: 3 }),
    choice: fc.oneof(fc.record({ name: fc.string() }), fc.record({ inner: fc.record({ x: INT32 }) })),
    maybe: INT32,
    at: fc.record({
      seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }),
      nanos,
    }),
    took: fc
      .tuple(fc.bigInt({ min: 0n, max: 315576000000n }), nanos, fc.boolean())
      .map(([seconds, nanos, negative]) =>
        negative ? { seconds: -seconds, nanos: -nanos } : { seconds, nanos },
      ),
    wrapped_long: fc.record({ value: INT64 }),
    wrapped_text: fc.record({ value: fc.string() }),
    wrapped_flag: fc.record({ value: fc.boolean() }),
    wrapped_double: fc.record({ value: fc.double() }),
    wrapped_bytes: fc.record({ value: fc.uint8Array({ maxLength: 4 }) }),
    attrs: fc.dictionary(fc.string(), jsonValue, { maxKeys: 3 }),
    any_value: jsonValue,
    list: fc.array(jsonValue, { maxLength: 3 }),
    mask: fc.record({
      paths: fc.array(
        name.map((path) => path),
        { maxLength: 3 },
      ),
    }),
    // The bytes the mapping gives back: a zero is left out, as for any field without presence.
    payload: INT32.map((x) => ({ type_url: INNER_URL, value: Inner.encode(x === 0 ? {} : { x }).finish() })),
    nothing: fc.constant({}),
    renamed: fc.string(),
    samples: fc.array(
      fc.double().map((n) => (Object.is(n, -0) ? 0 : n)),
      { maxLength: 3 },
    ),
    by_long: fc.dictionary(INT64.map(String), fc.string(), { maxKeys: 3 }),
    history: fc.array(
      fc.record({ seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }), nanos: fc.constant(0) }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** The Struct, Value and ListValue messages of plain JSON, as `encode` takes them. */
function asEncodable(value: Record<string, unknown>): Record<string, unknown> {
  const { choice, attrs, any_value, list, ...rest } = value as Record<string, unknown> & { choice?: object };
  const read = (json: unknown) => codec.fromJson!(json) as Record<string, unknown>;
  return {
    ...rest,
    ...(choice ?? {}),
    ...(attrs === undefined ? {} : read({ attrs })),
    ...(any_value === undefined ? {} : read({ any_value })),
    ...(list === undefined ? {} : read({ list })),
  };
}

describe('serdes-protobuf > json mapping > round trip', () => {
  it.each(['string', 'number-or-bigint', 'bigint'] as const)(
    'encode, decode, print as exact JSON text, read, encode: the same bytes (longs %s)',
    (longs) => {
      const through = compile(longs);
      fc.assert(
        fc.property(event, (value) => {
          const body = through.encode(asEncodable(value), 0);
          const text = stringifyJsonExactly(through.toJson!(through.decode(body, 0)))!;
          const again = through.encode(through.fromJson!(parseJsonExactly(text)), 0);
          expect(again.toString('hex')).toBe(body.toString('hex'));
        }),
        { numRuns: 200 },
      );
    },
  );
});

/** What `action` gives, or the SchemaWireError it throws; anything else thrown fails the test. */
function valueOrTypedError(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!isSchemaWireError(error)) throw error;
  }
}

describe('serdes-protobuf > json mapping > any input', () => {
  const keys = fc.constantFrom(
    'at',
    'took',
    'attrs',
    'anyValue',
    'list',
    'mask',
    'payload',
    'wrappedLong',
    'byLong',
    'kind',
    '@type',
    'x',
  );
  const anyJson = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
      fc.constantFrom('2026-01-02T03:04:05Z', '1.5s', 'a.bC', INNER_URL, TIMESTAMP_URL),
    ),
  })).value;

  it('reads any JSON into a value encode takes, or refuses it with a typed error', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, anyJson, { maxKeys: 4 }), (json) => {
        valueOrTypedError(() => codec.encode(codec.fromJson!(json), 0));
      }),
      { numRuns: 500 },
    );
  });

  it('prints whatever any bytes decode to, or refuses it with a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        valueOrTypedError(() => codec.toJson!(codec.decode(Buffer.from(bytes), 0)));
      }),
      { numRuns: 500 },
    );
  });
});

/** A field of a message type of the well-known types. */
const wellKnown = (name: string, number: number, type: string, extra: Record<string, unknown> = {}) =>
  descriptorField(name, number, 'message', { typeName: `.google.protobuf.${type}`, ...extra });
const repeated = { label: 'LABEL_REPEATED' };
const mapEntry = (name: string, key: string, value: string, extra: Record<string, unknown> = {}) => ({
  name,
  field: [descriptorField('key', 1, key), descriptorField('value', 2, value, extra)],
  options: { mapEntry: true },
});

/** The Event of `proto` as the descriptor protoc writes for it, which both libraries read. */
const eventDescriptor = serializedDescriptor({
  name: 'demo/event.proto',
  package: 'demo',
  syntax: 'proto3',
  dependency: ['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'].map(
    (name) => `google/protobuf/${name}.proto`,
  ),
  messageType: [
    {
      name: 'Event',
      field: [
        descriptorField('event_id', 1, 'string'),
        descriptorField('count', 2, 'int32'),
        descriptorField('big', 3, 'int64'),
        descriptorField('ubig', 4, 'uint64'),
        descriptorField('ratio', 5, 'double'),
        descriptorField('small', 6, 'float'),
        descriptorField('flag', 7, 'bool'),
        descriptorField('data', 8, 'bytes'),
        descriptorField('kind', 9, 'enum', { typeName: '.demo.Event.Kind' }),
        descriptorField('tags', 10, 'string', repeated),
        descriptorField('totals', 11, 'message', { ...repeated, typeName: '.demo.Event.TotalsEntry' }),
        descriptorField('by_id', 12, 'message', { ...repeated, typeName: '.demo.Event.ByIdEntry' }),
        descriptorField('name', 13, 'string', { oneofIndex: 0 }),
        descriptorField('inner', 14, 'message', { typeName: '.demo.Inner', oneofIndex: 0 }),
        descriptorField('maybe', 15, 'int32', { oneofIndex: 1, proto3Optional: true }),
        wellKnown('at', 16, 'Timestamp'),
        wellKnown('took', 17, 'Duration'),
        wellKnown('wrapped_long', 18, 'Int64Value'),
        wellKnown('wrapped_text', 19, 'StringValue'),
        wellKnown('wrapped_flag', 20, 'BoolValue'),
        wellKnown('attrs', 21, 'Struct'),
        wellKnown('any_value', 22, 'Value'),
        wellKnown('list', 23, 'ListValue'),
        wellKnown('mask', 24, 'FieldMask'),
        wellKnown('payload', 25, 'Any'),
        wellKnown('nothing', 26, 'Empty'),
        descriptorField('renamed', 27, 'string', { jsonName: 'otherName' }),
        descriptorField('samples', 28, 'double', repeated),
        descriptorField('by_long', 29, 'message', { ...repeated, typeName: '.demo.Event.ByLongEntry' }),
        wellKnown('wrapped_double', 30, 'DoubleValue'),
        wellKnown('wrapped_bytes', 31, 'BytesValue'),
        wellKnown('history', 32, 'Timestamp', repeated),
      ],
      nestedType: [
        mapEntry('TotalsEntry', 'string', 'int64'),
        mapEntry('ByIdEntry', 'int32', 'message', { typeName: '.demo.Inner' }),
        mapEntry('ByLongEntry', 'int64', 'string'),
      ],
      enumType: [
        {
          name: 'Kind',
          value: [
            { name: 'KIND_UNSPECIFIED', number: 0 },
            { name: 'KIND_CLICK', number: 1 },
          ],
        },
      ],
      oneofDecl: [{ name: 'choice' }, { name: '_maybe' }],
    },
    { name: 'Inner', field: [descriptorField('x', 1, 'int32')] },
  ],
});

describe('serdes-protobuf > json mapping > against @bufbuild/protobuf', () => {
  // @bufbuild/protobuf passes the protobuf conformance suite's JSON tests.
  let bufbuild: Bufbuild;
  let registry: BufbuildRegistry;
  let Event: unknown;
  beforeAll(async () => {
    bufbuild = await loadBufbuild();
    registry = bufbuildRegistry(bufbuild, eventDescriptor);
    Event = registry.getMessage('demo.Event');
  });
  const described = protobufFormat().compile(resolvedSchema(eventDescriptor));

  it('prints what it prints, and each reads what the other printed into the same message', () => {
    fc.assert(
      fc.property(event, (value) => {
        const body = described.encode(asEncodable(value), 0);
        const ours = described.toJson!(described.decode(body, 0));
        expect(ours).toEqual(bufbuild.toJson(Event, bufbuild.fromBinary(Event, body), { registry }));

        const theirs = bufbuild.toBinary(Event, bufbuild.fromJson(Event, ours, { registry }));
        expect(described.toJson!(described.decode(Buffer.from(theirs), 0))).toEqual(ours);
        const again = described.encode(described.fromJson!(ours), 0);
        expect(bufbuild.toJson(Event, bufbuild.fromBinary(Event, again), { registry })).toEqual(ours);
      }),
      { numRuns: 300 },
    );
  });
});
