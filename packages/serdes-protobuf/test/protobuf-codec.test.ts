import { describe, expect, it } from '@jest/globals';
import type { Schema, SerializerOptions } from '@schemawire/core-client';
import { Deserializer, ErrorCode, isSchemaWireError, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { defaultToObjectOptions, protobufFormat } from '@schemawire/serdes-protobuf';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { failure } from './support/failures.js';
import { multiMessageProto, myMessageProto } from './support/proto-files.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();
const multi: Schema = { schemaType: 'PROTOBUF', schema: multiMessageProto };
const hex = (bytes: Uint8Array | null | undefined) =>
  bytes == null ? bytes : Buffer.from(bytes).toString('hex');

// The bodies protobuf gives these values, by the spec's encoding rules.
const first = { id: 150, name: 'a' };
const firstBody = '089601120161'; // field 1 varint 150, field 2 length 1 "a"
const outer = { inner: { note: 'n', kind: 'KIND_BIG' }, count: '5' };
const outerBody = '0a050a016e10011005'; // field 1 message (note "n", kind 1), field 2 varint 5
const inner = { note: 'n', kind: 'KIND_BIG' };
const innerBody = '0a016e1001';

function setup(options: Partial<SerializerOptions> = {}) {
  const registry = new EmbeddedRegistry({ formats: [format] });
  const serializer = new Serializer({ registry, formats: [format], schema: multi, ...options });
  const deserializer = new Deserializer({ registry, formats: [format] });
  return { registry, serializer, deserializer };
}

/** The Confluent prefix of schema `id`: magic byte 0 and the id as 4 big-endian bytes. */
const prefixHex = (id: number) => `00${id.toString(16).padStart(8, '0')}`;

describe('protobuf > codec > message indexes in the confluent prefix', () => {
  it.each<[string, unknown, string, string]>([
    ['pkg.First', first, '00', firstBody],
    ['pkg.Outer', outer, '0202', outerBody],
    ['pkg.Outer.Inner', inner, '040200', innerBody],
    ['pkg.Outer.Other', { flag: true }, '040202', '0801'],
    ['pkg.Last', { tags: ['x'] }, '0204', '0a0178'],
  ])(
    'writes %s as the prefix, its indexes and its body, and reads it back',
    async (messageName, value, indexes, body) => {
      const { serializer, deserializer } = setup({ messageName });
      const payload = await serializer.serialize('orders', value);
      const id = payload.bytes!.readUInt32BE(1);
      expect(hex(payload.bytes)).toBe(`${prefixHex(id)}${indexes}${body}`);
      const decoded = await deserializer.deserialize({ value: payload.bytes });
      expect(decoded).toMatchObject({ schemaId: id, schemaType: 'PROTOBUF', carrier: 'prefix' });
      expect(decoded?.value).toMatchObject(value as object);
    },
  );

  it('writes the first message by default, and names it for the record strategies', async () => {
    const { serializer } = setup({ subjectNameStrategy: 'record' });
    const payload = await serializer.serialize('orders', first);
    expect(hex(payload.bytes)).toBe(`${prefixHex(payload.bytes!.readUInt32BE(1))}00${firstBody}`);
    expect(format.compile(resolvedSchema(multiMessageProto)).typeName).toBe('pkg.First');
    expect((await serializer.prepare('orders')).subject).toBe('pkg.First');
  });

  it('reads [0] written in the long form 02 00 as well as the short form 00', async () => {
    const { serializer, deserializer } = setup();
    const id = (await serializer.prepare('orders')).id;
    for (const indexes of ['00', '0200']) {
      const bytes = Buffer.from(`${prefixHex(id)}${indexes}${firstBody}`, 'hex');
      expect((await deserializer.deserialize({ value: bytes }))?.value).toEqual(first);
    }
  });

  it('refuses indexes that name no message, naming them', async () => {
    const { serializer, deserializer } = setup();
    const id = (await serializer.prepare('orders')).id;
    // [3], [1, 2] and [0, 0]: the file has three top-level messages, Outer two nested, First none.
    for (const indexes of ['0206', '040204', '040000']) {
      const bytes = Buffer.from(`${prefixHex(id)}${indexes}${firstBody}`, 'hex');
      const error = await deserializer.deserialize({ value: bytes }).catch((caught: unknown) => caught);
      expect(isSchemaWireError(error, ErrorCode.DeserializationFailed)).toBe(true);
      expect((error as Error).message).toMatch(/message indexes \[[\d,]+\] name no message of the schema/);
    }
  });
});

describe('protobuf > codec > message indexes in the confluent header', () => {
  it('writes the indexes after the GUID in the header and the body bare, and reads them back', async () => {
    const { registry, serializer, deserializer } = setup({
      messageName: 'pkg.Outer.Inner',
      carrier: 'confluent-header',
    });
    const payload = await serializer.serialize('orders', inner);
    const schema = await registry.getSchema({ kind: 'id', id: (await serializer.prepare('orders')).id });
    expect(hex(payload.bytes)).toBe(innerBody);
    expect(hex(payload.headers?.['__value_schema_id'])).toBe(`01${schema.guid!.replaceAll('-', '')}040200`);
    const decoded = await deserializer.deserialize({ value: payload.bytes, headers: payload.headers! });
    expect(decoded).toMatchObject({ carrier: 'confluent-header', value: inner });
  });

  it('writes the single byte 00 after the GUID for the first message', async () => {
    const { serializer } = setup({ carrier: 'confluent-header' });
    const header = (await serializer.serialize('orders', first)).headers?.['__value_schema_id'];
    expect(header).toHaveLength(18);
    expect(header?.[17]).toBe(0);
  });
});

describe('protobuf > codec > message chosen by the value', () => {
  // A user's own protobufjs types, loaded from the same .proto text: their instances name their type.
  const userRoot = protobuf.parse(multiMessageProto, { keepCase: true }).root;
  const Inner = userRoot.lookupType('pkg.Outer.Inner');
  const Outer = userRoot.lookupType('pkg.Outer');

  it('writes the indexes of a message instance of another type of the file', async () => {
    const { serializer, deserializer } = setup();
    const instance = Inner.create({ note: 'n', kind: 1 });
    const payload = await serializer.serialize('orders', instance);
    const id = payload.bytes!.readUInt32BE(1);
    expect(hex(payload.bytes)).toBe(`${prefixHex(id)}040200${innerBody}`);
    expect((await deserializer.deserialize({ value: payload.bytes }))?.value).toEqual(inner);
    // A plain object still takes the default message, with its own frame.
    expect(hex((await serializer.serialize('orders', first)).bytes)).toBe(`${prefixHex(id)}00${firstBody}`);
  });

  it('writes the chosen indexes after the GUID in the confluent header', async () => {
    const { serializer, deserializer } = setup({ carrier: 'confluent-header' });
    const payload = await serializer.serialize('orders', Outer.fromObject(outer));
    expect(hex(payload.bytes)).toBe(outerBody);
    expect(hex(payload.headers?.['__value_schema_id']?.subarray(17))).toBe('0202');
    const decoded = await deserializer.deserialize({ value: payload.bytes, headers: payload.headers! });
    expect(decoded?.value).toEqual({ inner, count: '5' });
  });

  it('refuses an instance of another type when the serializer writes a configured message', async () => {
    const { serializer } = setup({ messageName: 'pkg.First' });
    const error = await serializer.serialize('orders', Inner.create({ note: 'n' })).catch((e: unknown) => e);
    expect(isSchemaWireError(error, ErrorCode.SerializationFailed)).toBe(true);
    expect((error as Error).message).toBe(
      'cannot serialize value: it is a "pkg.Outer.Inner" message, and the serializer writes "pkg.First"',
    );
  });

  it('refuses an instance of a type the file does not have', () => {
    const other = protobuf.parse('syntax = "proto3"; package other; message Thing { int32 a = 1; }').root;
    const thing = other.lookupType('other.Thing').create({ a: 1 });
    const codec = format.compile(resolvedSchema(multiMessageProto));
    expect(codec.messageIndexesOf?.(thing)).toBeUndefined();
    expect(failure(() => codec.encode(thing, 0), ErrorCode.SerializationFailed).message).toBe(
      `cannot serialize value: the schema's file has no message "other.Thing"`,
    );
  });

  it('names the field an instance holds a wrong value in', () => {
    const codec = format.compile(resolvedSchema(multiMessageProto));
    const instance = userRoot.lookupType('pkg.First').create({ id: 1 });
    (instance as unknown as { id: unknown }).id = 'one';
    expect(failure(() => codec.encode(instance, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "id": integer expected',
    );
  });

  it('re-encodes the message instances it decodes, byte for byte', () => {
    const instances = protobufFormat({ toObject: false });
    const codec = instances.compile(resolvedSchema(multiMessageProto));
    const decoded = codec.decode(Buffer.from(innerBody, 'hex'), 0, [1, 0]);
    expect(decoded).toBeInstanceOf(protobuf.Message);
    expect(codec.messageIndexesOf?.(decoded)).toEqual([1, 0]);
    expect(hex(codec.encode(decoded, 2).subarray(2))).toBe(innerBody);
  });
});

describe('protobuf > codec > buffers', () => {
  const codec = format.compile(resolvedSchema(multiMessageProto));

  it('leaves the headroom first and writes exactly the body after it', () => {
    const out = codec.encode(first, 6);
    expect(out).toHaveLength(6 + firstBody.length / 2);
    expect(hex(out.subarray(6))).toBe(firstBody);
  });

  it('writes the bytes protobufjs writes, for a large message too', () => {
    const Last = protobuf.parse(multiMessageProto).root.lookupType('pkg.Last');
    const value = { tags: Array.from({ length: 300 }, (_, i) => `tag-${i}-${'x'.repeat(i % 50)}`) };
    const multiCodec = format.compile(resolvedSchema(multiMessageProto), { messageName: 'pkg.Last' });
    const expected = Buffer.from(Last.encode(Last.fromObject(value)).finish());
    expect(multiCodec.encode(value, 5).subarray(5).equals(expected)).toBe(true);
  });

  // The codec keeps its message's converter after the first encode: a refused first value must not
  // leave it half made, and later values must meet the same checks.
  it('refuses the same values with the same errors before and after a value it writes', () => {
    const fresh = format.compile(resolvedSchema(multiMessageProto));
    const refusals = [undefined, 'text', [first], { ...first, extra: 1 }, { id: 'x', name: 'a' }];
    const messages = (codec: typeof fresh) =>
      refusals.map((value) => failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message);
    const before = messages(fresh);
    expect(hex(fresh.encode(first, 0))).toBe(firstBody);
    expect(messages(fresh)).toEqual(before);
    expect(before).toEqual(messages(format.compile(resolvedSchema(multiMessageProto))));
    expect(before[3]).toMatch(/^cannot serialize value: .*extra/);
    expect(hex(fresh.encode({ name: 'a', id: 150 }, 0))).toBe(firstBody);
  });

  it('decodes from an offset into the payload, up to its end', () => {
    const payload = Buffer.from(`ffffff${firstBody}`, 'hex');
    expect(codec.decode(payload, 3, [0])).toEqual(first);
    expect(codec.decode(payload, 9, [0])).toEqual({ id: 0, name: '' });
    expect(failure(() => codec.decode(payload, 10, [0]), ErrorCode.DeserializationFailed).message).toBe(
      'cannot deserialize value: offset 10 is outside the 9-byte payload',
    );
  });

  it('checks the offset before the indexes, for message instances and plain objects alike', () => {
    const payload = Buffer.from(firstBody, 'hex');
    const toInstances = protobufFormat({ toObject: false }).compile(resolvedSchema(multiMessageProto));
    for (const each of [codec, toInstances]) {
      const refused = (offset: number, indexes: number[]) =>
        failure(() => each.decode(payload, offset, indexes), ErrorCode.DeserializationFailed).message;
      for (const offset of [-1, 1.5, 7, Number.NaN]) {
        expect(refused(offset, [9])).toBe(
          `cannot deserialize value: offset ${offset} is outside the 6-byte payload`,
        );
      }
      expect(refused(0, [9])).toBe(
        'cannot deserialize value: message indexes [9] name no message of the schema',
      );
      expect(refused(0, [0, 0])).toBe(
        'cannot deserialize value: message indexes [0,0] name no message of the schema',
      );
      // The reader is let go of the payload after a failure too, and reads the next one.
      expect(
        failure(() => each.decode(Buffer.from('0896', 'hex'), 0, [0]), ErrorCode.DeserializationFailed)
          .message,
      ).toMatch(/^cannot deserialize value: pkg\.First: /);
      const decoded = each.decode(payload, 0, [0]);
      expect(each === codec ? decoded : (decoded as protobuf.Message).toJSON()).toEqual(first);
    }
  });

  it.each<[string, string, number[], string]>([
    ['a truncated field', '0896', [0], 'pkg.First'],
    ['a string longer than the bytes left', '1205616263', [0], 'pkg.First'],
    ['a nested message longer than the bytes left', '0a05', [1], 'pkg.Outer'],
    ['an invalid wire type', '0f', [0], 'pkg.First'],
  ])('fails with a typed error on %s', (_name, body, indexes, typeName) => {
    const error = failure(
      () => codec.decode(Buffer.from(body, 'hex'), 0, indexes),
      ErrorCode.DeserializationFailed,
    );
    expect(error.message.startsWith(`cannot deserialize value: ${typeName}: `)).toBe(true);
  });
});

describe('protobuf > codec > properties', () => {
  const myMessage = format.compile(resolvedSchema(myMessageProto));
  const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

  it('round-trips arbitrary valid MyMessage values', () => {
    fc.assert(
      fc.property(int32, fc.string({ unit: 'binary' }), int32, (id, name, age) => {
        const value = { id, name, age };
        expect(myMessage.decode(myMessage.encode(value, 0), 0, [0])).toEqual(value);
      }),
    );
  });

  it('writes what protobufjs writes for arbitrary MyMessage values, without the fields at their defaults', () => {
    const MyMessage = protobuf.parse(myMessageProto).root.lookupType('io.schemawire.example.MyMessage');
    fc.assert(
      fc.property(int32, fc.string({ unit: 'binary' }), int32, (id, name, age) => {
        const value = { id, name, age };
        // proto3 leaves out a field without presence that holds its default (0, ""); protobufjs writes
        // every field that is set.
        const set = Object.fromEntries(Object.entries(value).filter(([, item]) => item !== 0 && item !== ''));
        const expected = Buffer.from(MyMessage.encode(MyMessage.fromObject(set)).finish());
        expect(myMessage.encode(value, 0).equals(expected)).toBe(true);
      }),
    );
  });

  it('leaves out proto3 fields at their defaults, and keeps optional and oneof ones', () => {
    const text = `syntax = "proto3";
message Flags {
  int32 count = 1;
  string label = 2;
  bool on = 3;
  optional int32 limit = 4;
  oneof pick { int32 zero = 5; }
}`;
    const codec = format.compile(resolvedSchema(text));
    expect(hex(codec.encode({ count: 0, label: '', on: false }, 0))).toBe('');
    expect(hex(codec.encode({ limit: 0, zero: 0 }, 0))).toBe('20002800');
  });

  it("names the set field of a oneof, and never a proto3 optional field's own oneof, at any depth", () => {
    const text = `syntax = "proto3";
message Inner { optional string note = 1; }
message OnlyOptional { optional int32 limit = 1; Inner inner = 2; }
message Both { optional int32 limit = 1; oneof pick { string word = 2; int32 number = 3; } repeated Inner inners = 4; }`;
    const onlyOptional = format.compile(resolvedSchema(text), { messageName: 'OnlyOptional' });
    const both = format.compile(resolvedSchema(text), { messageName: 'Both' });
    const value = { limit: 3, inner: { note: 'n' } };
    expect(onlyOptional.decode(onlyOptional.encode(value, 0), 0, [1])).toEqual(value);
    expect(onlyOptional.decode(onlyOptional.encode({}, 0), 0, [1])).toEqual({ inner: null });
    const bothValue = { limit: 0, word: 'w', inners: [{ note: '' }, {}] };
    expect(both.decode(both.encode(bothValue, 0), 0, [2])).toEqual({ ...bothValue, pick: 'word' });
  });

  it('names the set oneof of a message an Any holds, when toObject unpacks it', () => {
    const text = `syntax = "proto3";
package t;
import "google/protobuf/any.proto";
message M { optional int32 x = 1; google.protobuf.Any a = 2; }
message P { oneof c { string s = 1; int32 i = 2; } }`;
    const unpacking = protobufFormat({
      fieldNames: 'proto',
      toObject: { ...defaultToObjectOptions, json: true },
    });
    const p = unpacking.compile(resolvedSchema(text), { messageName: 't.P' });
    const m = unpacking.compile(resolvedSchema(text), { messageName: 't.M' });
    const bytes = m.encode(
      { x: 1, a: { type_url: 'type.googleapis.com/t.P', value: p.encode({ s: 'hi' }, 0) } },
      0,
    );
    expect(m.decode(bytes, 0, [0])).toEqual({
      x: 1,
      a: { '@type': 'type.googleapis.com/t.P', s: 'hi', c: 's' },
    });
  });

  it('decodes arbitrary bytes into a value or a typed error, never another exception', () => {
    const codec = format.compile(resolvedSchema(multiMessageProto));
    const paths = fc.constantFrom<readonly number[]>([0], [1], [1, 0], [1, 1], [2], [3], [1, 2]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), paths, (bytes, indexes) => {
        try {
          codec.decode(Buffer.from(bytes), 0, indexes);
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.DeserializationFailed)).toBe(true);
        }
      }),
    );
  });

  it('reads arbitrary payloads after a prefix into a value or a typed error', async () => {
    const { serializer, deserializer } = setup();
    const id = (await serializer.prepare('orders')).id;
    await deserializer.prepare({ kind: 'id', id });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const payload = Buffer.concat([Buffer.from(prefixHex(id), 'hex'), bytes]);
        try {
          deserializer.deserializeSync({ value: payload });
        } catch (error) {
          expect(isSchemaWireError(error)).toBe(true);
        }
      }),
    );
  });
});
