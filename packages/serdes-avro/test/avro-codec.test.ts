import { describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, isSchemaWireError } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();

const userV1 = {
  type: 'record',
  name: 'User',
  namespace: 'io.example',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'legacy', type: 'string' },
  ],
};
const alice = { name: 'Alice', age: 30, legacy: 'x' };

describe('avro > codec > encode', () => {
  const codec = format.compile(resolvedSchema(userV1));
  const reference = avsc.Type.forSchema(userV1 as never);

  it('writes the same body as avsc toBuffer after the headroom', () => {
    const bytes = codec.encode(alice, 5);

    expect(bytes.length).toBe(5 + reference.toBuffer(alice).length);
    expect(bytes.subarray(5)).toEqual(reference.toBuffer(alice));
    expect(codec.encode(alice, 0)).toEqual(reference.toBuffer(alice));
  });

  it('allocates nothing per message and leaves the headroom to the caller', () => {
    const allocUnsafe = jest
      .spyOn(Buffer, 'allocUnsafe')
      .mockImplementation((size) => Buffer.alloc(size, 0xaa));
    try {
      // Made while the spy is on, so the codec's slab is filled with 0xaa.
      const fresh = format.compile(resolvedSchema(userV1));
      const calls = allocUnsafe.mock.calls.length;
      const first = fresh.encode(alice, 5);
      const second = fresh.encode(alice, 5);

      expect(allocUnsafe).toHaveBeenCalledTimes(calls);
      expect([...first.subarray(0, 5)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
      expect([...second.subarray(0, 5)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
    } finally {
      allocUnsafe.mockRestore();
    }
  });

  it('keeps every message it returned as it was written while later ones fill new slabs', () => {
    const fresh = format.compile(resolvedSchema(userV1));
    // From a few bytes to past the size written into a slab at all (2 KiB), in an order that leaves
    // slabs with free ends too small for the next message.
    const values = Array.from({ length: 600 }, (_, i) => ({ ...alice, legacy: 'v'.repeat((i * 37) % 2600) }));
    const written = values.map((value) => fresh.encode(value, 3));

    values.forEach((value, i) => {
      expect(written[i]!.length).toBe(3 + reference.toBuffer(value).length);
      expect(written[i]!.subarray(3).equals(reference.toBuffer(value))).toBe(true);
    });
  });

  it('writes values larger than a slab, and small ones after them', () => {
    const medium = { ...alice, legacy: 'm'.repeat(10_000) };
    const huge = { ...alice, legacy: 'h'.repeat(2 * 1024 * 1024) };

    expect(codec.encode(medium, 3).subarray(3)).toEqual(reference.toBuffer(medium));
    // Buffer#equals: a deep toEqual over two megabytes takes seconds.
    expect(codec.encode(huge, 3).subarray(3).equals(reference.toBuffer(huge))).toBe(true);
    expect(codec.encode(alice, 3).subarray(3)).toEqual(reference.toBuffer(alice));
  });

  it('fails rather than write a partial body when the value changes between the two passes', () => {
    let reads = 0;
    const shifting = {
      name: 'Alice',
      age: 30,
      get legacy() {
        reads += 1;
        // Past a slab's size, so the first pass finds it does not fit and the second one writes it.
        return 'x'.repeat(10_000 * reads);
      },
    };
    const fresh = format.compile(resolvedSchema(userV1));

    expect(failure(() => fresh.encode(shifting, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: the value changed while it was written',
    );
  });

  it('writes when the headroom alone is larger than the scratch buffer', () => {
    const bytes = codec.encode(alice, 4096);

    expect(bytes.subarray(4096)).toEqual(reference.toBuffer(alice));
  });
});

describe('avro > codec > invalid values', () => {
  const schema = {
    type: 'record',
    name: 'Person',
    fields: [
      { name: 'age', type: 'int' },
      {
        name: 'address',
        type: { type: 'record', name: 'Address', fields: [{ name: 'zip', type: 'string' }] },
      },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'scores', type: { type: 'map', values: 'long' } },
      { name: 'nickname', type: ['null', 'string'], default: null },
    ],
  };
  const valid = { age: 1, address: { zip: '0150' }, tags: ['a'], scores: { a: 1 }, nickname: null };
  const codec = format.compile(resolvedSchema(schema));
  const message = (value: unknown) =>
    failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message;

  it('names the field, the type it expects and the value it got', () => {
    expect(message({ ...valid, age: 'x' })).toBe(
      'cannot serialize value: field "age" expected "int", got "x"',
    );
  });

  it('joins the path of nested fields, array items and map values with dots', () => {
    expect(message({ ...valid, address: { zip: 150 } })).toBe(
      'cannot serialize value: field "address.zip" expected "string", got 150',
    );
    expect(message({ ...valid, tags: ['a', 7] })).toBe(
      'cannot serialize value: field "tags.1" expected "string", got 7',
    );
    expect(message({ ...valid, scores: { a: 1.5 } })).toBe(
      'cannot serialize value: field "scores.a" expected "long", got 1.5',
    );
  });

  it('names a missing field and a wrong union value', () => {
    const { age: _age, ...withoutAge } = valid;

    expect(message(withoutAge)).toBe('cannot serialize value: field "age" expected "int", got undefined');
    expect(message({ ...valid, nickname: 5 })).toBe(
      'cannot serialize value: field "nickname" expected "union<null,string>", got 5',
    );
  });

  it('lists every invalid field, up to five', () => {
    expect(message({ ...valid, age: null, tags: ['a', 1, 2] })).toBe(
      'cannot serialize value: field "age" expected "int", got null; field "tags.1" expected "string", got 1; ' +
        'field "tags.2" expected "string", got 2',
    );
    expect(message({ ...valid, tags: [1, 2, 3, 4, 5, 6, 7] })).toMatch(
      /"tags\.4" expected "string", got 5 \(and 2 more\)$/,
    );
  });

  it('names the type when the value itself is wrong', () => {
    expect(message('not a record')).toBe('cannot serialize value: expected "Person", got "not a record"');
  });

  it('keeps the avsc error as the cause', () => {
    expect(
      failure(() => codec.encode({ ...valid, age: 'x' }, 0), ErrorCode.SerializationFailed).cause,
    ).toBeInstanceOf(Error);
  });
});

describe('avro > codec > decode', () => {
  const codec = format.compile(resolvedSchema(userV1));
  const body = avsc.Type.forSchema(userV1 as never).toBuffer(alice);

  it('decodes the body that starts at the offset', () => {
    const payload = Buffer.concat([Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07]), body]);

    expect(codec.decode(payload, 5)).toEqual(alice);
  });

  it('decodes a body that is a view into a larger buffer', () => {
    const pool = Buffer.concat([Buffer.from('ffff', 'hex'), body, Buffer.from('ffff', 'hex')]);

    expect(codec.decode(pool.subarray(2, 2 + body.length), 0)).toEqual(alice);
  });

  it('rejects truncated data', () => {
    expect(
      failure(() => codec.decode(body.subarray(0, body.length - 1), 0), ErrorCode.DeserializationFailed)
        .message,
    ).toBe(
      `cannot deserialize value: truncated data: the ${body.length - 1}-byte body ends inside the value`,
    );
    expect(failure(() => codec.decode(Buffer.alloc(0), 0), ErrorCode.DeserializationFailed).message).toMatch(
      /truncated/,
    );
  });

  it('decodes each payload from its own start, after a failed one and between payloads of another codec', () => {
    // The codec reads with one cursor, pointed at each payload in turn.
    const other = format.compile(resolvedSchema(userV1));
    const long = Buffer.concat([Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07]), body]);
    failure(() => codec.decode(body.subarray(0, 3), 0), ErrorCode.DeserializationFailed);

    expect([codec.decode(long, 5), other.decode(body, 0), codec.decode(body, 0)]).toEqual([
      alice,
      alice,
      alice,
    ]);
  });

  it('rejects trailing bytes', () => {
    const payload = Buffer.concat([body, Buffer.from([0x01, 0x02])]);

    expect(failure(() => codec.decode(payload, 0), ErrorCode.DeserializationFailed).message).toBe(
      'cannot deserialize value: 2 trailing bytes after the value',
    );
  });

  it('rejects an offset outside the payload', () => {
    expect(failure(() => codec.decode(body, body.length + 1), ErrorCode.DeserializationFailed).message).toBe(
      `cannot deserialize value: offset ${body.length + 1} is outside the ${body.length}-byte payload`,
    );
    expect(failure(() => codec.decode(body, -1), ErrorCode.DeserializationFailed).message).toMatch(
      /offset -1/,
    );
  });

  it('turns avsc errors into typed errors', () => {
    const union = format.compile(resolvedSchema(['null', 'string']));

    expect(failure(() => union.decode(Buffer.from([0x08]), 0), ErrorCode.DeserializationFailed).message).toBe(
      'cannot deserialize value: invalid union index: 4',
    );
  });
});

describe('avro > codec > reader schema', () => {
  const userV2 = {
    type: 'record',
    name: 'User',
    namespace: 'io.example',
    fields: [
      { name: 'name', type: 'string' },
      { name: 'age', type: 'long' },
      { name: 'email', type: ['null', 'string'], default: null },
      { name: 'country', type: 'string', default: 'NO' },
    ],
  };
  const v1 = resolvedSchema(userV1, { id: 1 });
  const v2 = resolvedSchema(userV2, { id: 2 });

  it('reads v1 data as v2: added fields take their defaults, removed ones are skipped, int becomes long', () => {
    const codec = format.compile(v1, { readerSchema: v2 });
    const decoded = codec.decode(format.compile(v1).encode(alice, 0), 0);

    expect(decoded).toEqual({ name: 'Alice', age: 30, email: null, country: 'NO' });
  });

  it('still writes with the writer schema and names the writer type', () => {
    const codec = format.compile(v1, { readerSchema: v2 });

    expect(codec.encode(alice, 0)).toEqual(format.compile(v1).encode(alice, 0));
    expect(codec.typeName).toBe('io.example.User');
  });

  it('reads a record whose namespace changed, as names compare unqualified', () => {
    const moved = resolvedSchema({ ...userV1, namespace: 'io.other' });
    const codec = format.compile(v1, { readerSchema: moved });

    expect(codec.decode(format.compile(v1).encode(alice, 0), 0)).toEqual(alice);
  });

  it('reads an unknown enum symbol as the reader default', () => {
    const writer = resolvedSchema({ type: 'enum', name: 'Color', symbols: ['RED', 'PURPLE'] });
    const reader = resolvedSchema({
      type: 'enum',
      name: 'Color',
      symbols: ['RED', 'OTHER'],
      default: 'OTHER',
    });
    const codec = format.compile(writer, { readerSchema: reader });

    expect(codec.decode(format.compile(writer).encode('PURPLE', 0), 0)).toBe('OTHER');
  });

  it('rejects an incompatible reader at compile time', () => {
    const reader = resolvedSchema({ ...userV2, fields: [...userV2.fields, { name: 'id', type: 'string' }] });
    const error = failure(() => format.compile(v1, { readerSchema: reader }), ErrorCode.IncompatibleSchema);

    expect(error.message).toBe(
      'cannot read data of schema 1 with the reader schema: field "id" has no default and the writer schema does not have it',
    );
    expect(error.schemaId).toBe(1);
  });

  it('rejects a reader whose types narrow the writer types', () => {
    const error = failure(() => format.compile(v2, { readerSchema: v1 }), ErrorCode.IncompatibleSchema);

    expect(error.message).toContain('field "age": writer type "long" cannot be read as "int"');
    expect(error.message).toContain('field "legacy" has no default');
  });
});

describe('avro > codec > property', () => {
  const schema = {
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'label', type: 'string' },
      { name: 'weight', type: 'double' },
      { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
      { name: 'attributes', type: { type: 'map', values: ['null', 'long', 'bytes'] } },
      { name: 'children', type: { type: 'array', items: ['null', 'Node'] } },
      { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 2 } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
    ],
  };

  it('decodes any bytes to a value or a typed error, never another exception', () => {
    const codec = format.compile(resolvedSchema(schema));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          codec.decode(Buffer.from(bytes), 0);
        } catch (error) {
          expect(isSchemaWireError(error, ErrorCode.DeserializationFailed)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
