import { describe, expect, it } from '@jest/globals';
import type { KeyIdCodec, Located, MessageHeaders, RegisteredSchema } from '@schemawire/core-client';
import {
  buildFrame,
  decimalKeyIdCodec,
  ErrorCode,
  encodeApicurioId,
  encodeConfluentHeader,
  encodeConfluentPrefix,
  locateSchemaId,
  readLocatedIndexes,
  schemaIdCarriers,
} from '@schemawire/core-client';

const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('hex');

const GUID = '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const GUID_HEX = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const schema: RegisteredSchema = {
  id: 42,
  guid: GUID,
  globalId: 1007,
  schemaType: 'JSON',
  schema: '{}',
  references: [],
};
const bare: RegisteredSchema = { id: 42, schemaType: 'JSON', schema: '{}', references: [] };

/** A key codec that writes the id as 4 big-endian bytes, to show the codec is pluggable. */
const binaryKeyCodec: KeyIdCodec = {
  encode: (id) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(id);
    return out;
  },
  decode: (key) => (key.length === 4 ? Buffer.from(key).readUInt32BE() : undefined),
};

describe('schema id carrier > carriers', () => {
  it('lists every carrier', () => {
    expect([...schemaIdCarriers].sort()).toEqual(['apicurio-header', 'confluent-header', 'key', 'prefix']);
  });
});

describe('schema id carrier > build frame > prefix', () => {
  it('writes the magic byte and the id before the body', () => {
    const frame = buildFrame('prefix', schema, undefined, false, {});
    expect(hex(frame.prefix)).toBe('000000002a');
    expect(frame).toMatchObject({ headerName: undefined, headerValue: undefined, key: undefined });
  });

  it('puts message indexes after the id', () => {
    expect(hex(buildFrame('prefix', schema, [1, 0], false, {}).prefix)).toBe('000000002a040200');
    expect(hex(buildFrame('prefix', schema, [0], false, {}).prefix)).toBe('000000002a00');
  });

  it('frames keys the same way', () => {
    expect(hex(buildFrame('prefix', schema, undefined, true, {}).prefix)).toBe('000000002a');
  });
});

describe('schema id carrier > build frame > confluent header', () => {
  it('puts the GUID in the value header and nothing before the body', () => {
    const frame = buildFrame('confluent-header', schema, undefined, false, {});
    expect(frame.prefix.length).toBe(0);
    expect(frame.headerName).toBe('__value_schema_id');
    expect(hex(frame.headerValue)).toBe(`01${GUID_HEX}`);
    expect(frame.key).toBeUndefined();
  });

  it('uses the key header for keys', () => {
    expect(buildFrame('confluent-header', schema, undefined, true, {}).headerName).toBe('__key_schema_id');
  });

  it('puts message indexes in the header after the GUID, not before the body', () => {
    const frame = buildFrame('confluent-header', schema, [1, 0], false, {});
    expect(frame.prefix.length).toBe(0);
    expect(hex(frame.headerValue)).toBe(`01${GUID_HEX}040200`);
  });

  it('names a schema the registry gave no GUID by its id, as 00 and four bytes', () => {
    expect(hex(buildFrame('confluent-header', bare, undefined, false, {}).headerValue)).toBe('000000002a');
    expect(hex(buildFrame('confluent-header', bare, [1, 0], false, {}).headerValue)).toBe('000000002a040200');
  });
});

describe('schema id carrier > build frame > apicurio header', () => {
  it('carries the contentId in the value header by default', () => {
    const frame = buildFrame('apicurio-header', schema, undefined, false, {});
    expect(frame.prefix.length).toBe(0);
    expect(frame.headerName).toBe('apicurio.value.contentId');
    expect(hex(frame.headerValue)).toBe('000000000000002a');
  });

  it('carries the globalId when asked', () => {
    const frame = buildFrame('apicurio-header', schema, undefined, false, { apicurioId: 'globalId' });
    expect(frame.headerName).toBe('apicurio.value.globalId');
    expect(hex(frame.headerValue)).toBe('00000000000003ef');
  });

  it('uses the key headers for keys', () => {
    expect(buildFrame('apicurio-header', schema, undefined, true, {}).headerName).toBe(
      'apicurio.key.contentId',
    );
    expect(
      buildFrame('apicurio-header', schema, undefined, true, { apicurioId: 'globalId' }).headerName,
    ).toBe('apicurio.key.globalId');
  });

  it('puts message indexes before the body', () => {
    expect(hex(buildFrame('apicurio-header', schema, [1, 0], false, {}).prefix)).toBe('040200');
  });

  it('refuses the globalId of a schema the registry gave none', () => {
    expect(() => buildFrame('apicurio-header', bare, undefined, false, { apicurioId: 'globalId' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Unsupported, schemaId: 42 }),
    );
  });
});

describe('schema id carrier > build frame > key', () => {
  it('writes the id as the decimal key text and nothing before the body', () => {
    const frame = buildFrame('key', schema, undefined, false, {});
    expect(Buffer.from(frame.key!).toString('utf8')).toBe('42');
    expect(frame.prefix.length).toBe(0);
    expect(frame.headerName).toBeUndefined();
  });

  it('writes the key with the given codec', () => {
    expect(hex(buildFrame('key', schema, undefined, false, { keyIdCodec: binaryKeyCodec }).key)).toBe(
      '0000002a',
    );
  });

  it('puts message indexes before the body', () => {
    expect(hex(buildFrame('key', schema, [1, 0], false, {}).prefix)).toBe('040200');
  });

  it('refuses to carry a key schema id in the key itself', () => {
    expect(() => buildFrame('key', schema, undefined, true, {})).toThrow(
      expect.objectContaining({ code: ErrorCode.Config }),
    );
  });
});

describe('schema id carrier > locate schema id > order', () => {
  const value = { isKey: false, keyIdCodec: undefined };
  const prefixed = encodeConfluentPrefix(7, Buffer.from('{}'));

  it('reads a Confluent header before the prefix', () => {
    const located = locateSchemaId(
      prefixed,
      undefined,
      { __value_schema_id: encodeConfluentHeader(GUID) },
      value,
    );
    expect(located).toMatchObject({
      schemaId: { kind: 'guid', guid: GUID },
      offset: 0,
      carrier: 'confluent-header',
    });
  });

  it('reads an Apicurio header before the prefix', () => {
    const headers = { 'apicurio.value.contentId': encodeApicurioId(9) };
    expect(locateSchemaId(prefixed, undefined, headers, value)).toEqual({
      schemaId: { kind: 'contentId', contentId: 9 },
      offset: 0,
      headerTail: undefined,
      carrier: 'apicurio-header',
    });
  });

  it('reads the Confluent header before the Apicurio one', () => {
    const headers = {
      'apicurio.value.globalId': encodeApicurioId(9),
      __value_schema_id: encodeConfluentHeader(GUID),
    };
    expect(locateSchemaId(prefixed, undefined, headers, value)?.carrier).toBe('confluent-header');
  });

  it('reads the prefix when no header names the schema', () => {
    expect(locateSchemaId(prefixed, Buffer.from('42'), { other: 'x' }, value)).toEqual({
      schemaId: { kind: 'id', id: 7 },
      offset: 5,
      headerTail: undefined,
      carrier: 'prefix',
    });
  });

  it('reads the key before the prefix when the key carrier is on', () => {
    const located = locateSchemaId(prefixed, Buffer.from('42'), undefined, {
      isKey: false,
      keyIdCodec: decimalKeyIdCodec,
    });
    expect(located).toMatchObject({ schemaId: { kind: 'id', id: 42 }, offset: 0, carrier: 'key' });
  });

  it('regression: a key-carried body starting with 0x00 (a Protobuf first-message index) is not read as a prefix', () => {
    const body = Buffer.from([0x00, 0x0a, 0x07, ...Buffer.from('Barbara'), 0x18, 0x56]);
    const located = locateSchemaId(body, Buffer.from('7'), undefined, {
      isKey: false,
      keyIdCodec: decimalKeyIdCodec,
    });
    expect(located).toMatchObject({ schemaId: { kind: 'id', id: 7 }, offset: 0, carrier: 'key' });
  });

  it('falls back to the prefix when the key carries no id', () => {
    const located = locateSchemaId(prefixed, Buffer.from('user-1'), undefined, {
      isKey: false,
      keyIdCodec: decimalKeyIdCodec,
    });
    expect(located).toMatchObject({ schemaId: { kind: 'id', id: 7 }, carrier: 'prefix' });
  });

  it('reads the key only when a key codec is given', () => {
    const body = Buffer.from('{"a":1}');
    expect(locateSchemaId(body, Buffer.from('42'), undefined, value)).toBeUndefined();
    expect(
      locateSchemaId(body, Buffer.from('42'), undefined, { isKey: false, keyIdCodec: decimalKeyIdCodec }),
    ).toEqual({
      schemaId: { kind: 'id', id: 42 },
      offset: 0,
      headerTail: undefined,
      carrier: 'key',
    });
  });

  it('uses the given key codec', () => {
    const located = locateSchemaId(Buffer.from('{}'), Buffer.from('0000002a', 'hex'), undefined, {
      isKey: false,
      keyIdCodec: binaryKeyCodec,
    });
    expect(located?.schemaId).toEqual({ kind: 'id', id: 42 });
  });

  it('finds nothing in a key that carries no id, or no key', () => {
    const options = { isKey: false, keyIdCodec: decimalKeyIdCodec };
    expect(locateSchemaId(Buffer.from('{}'), Buffer.from('user-1'), undefined, options)).toBeUndefined();
    expect(locateSchemaId(Buffer.from('{}'), null, undefined, options)).toBeUndefined();
    expect(locateSchemaId(Buffer.from('{}'), undefined, undefined, options)).toBeUndefined();
  });

  it('finds nothing when no carrier names a schema', () => {
    expect(locateSchemaId(Buffer.from('{"a":1}'), undefined, undefined, value)).toBeUndefined();
    expect(locateSchemaId(Buffer.alloc(0), undefined, {}, value)).toBeUndefined();
    expect(locateSchemaId(Buffer.from([0, 0, 1]), undefined, undefined, value)).toBeUndefined();
  });
});

describe('schema id carrier > locate schema id > keys and values', () => {
  const headers: MessageHeaders = {
    __value_schema_id: encodeConfluentHeader(GUID),
    __key_schema_id: Buffer.from('000000002a', 'hex'),
  };

  it('reads the key header for a key and the value header for a value', () => {
    expect(
      locateSchemaId(Buffer.from('x'), undefined, headers, { isKey: true, keyIdCodec: undefined })?.schemaId,
    ).toEqual({
      kind: 'id',
      id: 42,
    });
    expect(
      locateSchemaId(Buffer.from('x'), undefined, headers, { isKey: false, keyIdCodec: undefined })?.schemaId,
    ).toEqual({ kind: 'guid', guid: GUID });
  });

  it('never reads a key schema id from the key', () => {
    expect(
      locateSchemaId(Buffer.from('42'), Buffer.from('42'), undefined, {
        isKey: true,
        keyIdCodec: decimalKeyIdCodec,
      }),
    ).toBe(undefined);
  });

  it('reads the last of repeated headers, as Kafka does', () => {
    const repeated: MessageHeaders = {
      'apicurio.value.contentId': [encodeApicurioId(1), encodeApicurioId(2)],
    };
    expect(
      locateSchemaId(Buffer.from('x'), undefined, repeated, { isKey: false, keyIdCodec: undefined })
        ?.schemaId,
    ).toEqual({
      kind: 'contentId',
      contentId: 2,
    });
  });

  it('throws on a malformed header instead of looking further', () => {
    const prefixed = encodeConfluentPrefix(7, Buffer.from('{}'));
    expect(() =>
      locateSchemaId(
        prefixed,
        undefined,
        { __value_schema_id: 'garbage' },
        { isKey: false, keyIdCodec: undefined },
      ),
    ).toThrow(expect.objectContaining({ code: ErrorCode.InvalidPayload }));
  });
});

describe('schema id carrier > read located indexes', () => {
  it('reads indexes after the prefix and points at the body', () => {
    const payload = Buffer.from('000000002a0402007b7d', 'hex');
    const located = locateSchemaId(payload, undefined, undefined, { isKey: false, keyIdCodec: undefined })!;
    expect(readLocatedIndexes(payload, located)).toEqual({ indexes: [1, 0], offset: 8 });
  });

  it('reads indexes from the Confluent header and leaves the whole payload as the body', () => {
    const payload = Buffer.from('{}');
    const headers = { __value_schema_id: encodeConfluentHeader(GUID, [2]) };
    const located = locateSchemaId(payload, undefined, headers, { isKey: false, keyIdCodec: undefined })!;
    expect(readLocatedIndexes(payload, located)).toEqual({ indexes: [2], offset: 0 });
  });

  it('reads a Confluent header without indexes as the first message', () => {
    const located: Located = {
      schemaId: { kind: 'guid', guid: GUID },
      offset: 0,
      headerTail: Buffer.alloc(0),
      carrier: 'confluent-header',
    };
    expect(readLocatedIndexes(Buffer.from('{}'), located)).toEqual({ indexes: [0], offset: 0 });
  });

  it('reads indexes from the start of the payload for the Apicurio header and the key', () => {
    const payload = Buffer.from('0402007b7d', 'hex');
    for (const carrier of ['apicurio-header', 'key'] as const) {
      const located: Located = { schemaId: { kind: 'id', id: 1 }, offset: 0, headerTail: undefined, carrier };
      expect(readLocatedIndexes(payload, located)).toEqual({ indexes: [1, 0], offset: 3 });
    }
  });

  it('rejects truncated indexes as an invalid payload', () => {
    const payload = Buffer.from('000000002a04', 'hex');
    const located = locateSchemaId(payload, undefined, undefined, { isKey: false, keyIdCodec: undefined })!;
    expect(() => readLocatedIndexes(payload, located)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidPayload }),
    );
  });
});
