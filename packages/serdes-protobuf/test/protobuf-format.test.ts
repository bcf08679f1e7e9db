import { describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, isSchemaWireError, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { failure } from './support/failures.js';
import { myMessageProto } from './support/proto-files.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();

describe('protobuf > format', () => {
  it('is the PROTOBUF format, with message indexes', () => {
    expect(format.schemaType).toBe('PROTOBUF');
    expect(format.usesMessageIndexes).toBe(true);
  });

  it('writes MyMessage from schemas/my_message.proto with the prefix, index 0 and its body', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const serializer = new Serializer({
      registry,
      formats: [format],
      schema: { schemaType: 'PROTOBUF', schema: myMessageProto },
    });
    const value = { id: 1, name: 'Ada', age: 36 };
    const payload = await serializer.serialize('people', value);
    const registered = await serializer.prepare('people');
    expect(registered.subject).toBe('people-value');
    // id=1 (08 01), name="Ada" (12 03 416461), age=36 (18 24).
    const body = '080112034164611824';
    // 00, the 4-byte id, index [0] as the single byte 00, the body.
    expect(payload.bytes!.toString('hex')).toBe(`00${registered.id.toString(16).padStart(8, '0')}00${body}`);
    const decoded = await new Deserializer({ registry, formats: [format] }).deserialize({
      value: payload.bytes,
    });
    expect(decoded).toMatchObject({ schemaId: registered.id, schemaType: 'PROTOBUF', value });
  });
});

describe('protobuf > format > proto2', () => {
  const legacy = `syntax = "proto2";
package legacy;
message Order {
  required int64 id = 1;
  optional int32 quantity = 2 [default = 1];
  optional string note = 3;
  repeated int32 codes = 4;
  enum State { NEW = 1; PAID = 2; }
  optional State state = 5 [default = PAID];
}
`;
  const codec = format.compile(resolvedSchema(legacy));

  it('round-trips a message, writing fields set to their defaults (proto2 fields have presence)', () => {
    const value = { id: '7', quantity: 1, note: '', codes: [1, 2], state: 'NEW' };
    const bytes = codec.encode(value, 0);
    // id=7, quantity=1, note="", codes unpacked 1 and 2, state=1.
    expect(bytes.toString('hex')).toBe('0807' + '1001' + '1a00' + '2001' + '2002' + '2801');
    expect(codec.decode(bytes, 0, [0])).toEqual(value);
  });

  it('decodes fields left out to their declared defaults', () => {
    expect(codec.decode(Buffer.from('0807', 'hex'), 0, [0])).toEqual({
      id: '7',
      quantity: 1,
      note: '',
      codes: [],
      state: 'PAID',
    });
  });

  it('refuses to decode a message without its required field', () => {
    expect(
      failure(() => codec.decode(Buffer.from('1001', 'hex'), 0, [0]), ErrorCode.DeserializationFailed)
        .message,
    ).toBe("cannot deserialize value: legacy.Order: missing required 'id'");
  });
});

describe('protobuf > format > reader schema', () => {
  const v1 = myMessageProto;
  const v2 = myMessageProto.replace('int32 age = 3;', 'reserved 3;\n  string email = 4;');

  it("decodes into the reader schema's message of the same name", async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const serializer = new Serializer({
      registry,
      formats: [format],
      schema: { schemaType: 'PROTOBUF', schema: v1 },
    });
    const payload = await serializer.serialize('people', { id: 1, name: 'Ada', age: 36 });
    const deserializer = new Deserializer({
      registry,
      formats: [format],
      readerSchema: { schemaType: 'PROTOBUF', schema: v2 },
    });
    expect((await deserializer.deserialize({ value: payload.bytes }))?.value).toEqual({
      id: 1,
      name: 'Ada',
      email: '',
    });
  });

  it('fails on a message the reader schema lacks, naming it', () => {
    const codec = format.compile(resolvedSchema(v1), {
      readerSchema: resolvedSchema(
        'syntax = "proto3"; package io.schemawire.example; message Other { int32 id = 1; }',
      ),
    });
    const error = failure(
      () => codec.decode(Buffer.from('0801', 'hex'), 0, [0]),
      ErrorCode.DeserializationFailed,
    );
    expect(error.message).toBe(
      'cannot deserialize value: the reader schema has no message "io.schemawire.example.MyMessage"',
    );
  });

  it('refuses a reader schema that does not parse', () => {
    const error = failure(
      () => format.compile(resolvedSchema(v1), { readerSchema: resolvedSchema('message {') }),
      ErrorCode.InvalidSchema,
    );
    expect(isSchemaWireError(error)).toBe(true);
  });
});
