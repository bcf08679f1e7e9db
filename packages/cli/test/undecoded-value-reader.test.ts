import { describe, expect, it } from '@jest/globals';
import type { SchemaRegistryClient } from '@schemawire/core-client';
import { encodeConfluentHeader, encodeConfluentPrefix } from '@schemawire/core-client';
import { UndecodedValueReader, valueDeserializer } from '../dist/undecoded-value-reader.js';

// Any call fails the test: the reader asks no registry.
const registry = new Proxy({} as SchemaRegistryClient, {
  get: (_target, name) => () => {
    throw new Error(`registry asked: ${String(name)}`);
  },
});
const reader = new UndecodedValueReader({ registry, formats: [], keyCarrier: true });

describe('cli > undecoded value reader', () => {
  it('gives a prefixed value as its bytes with the id it carries, asking no registry', async () => {
    const value = encodeConfluentPrefix(7, Buffer.from([0xff, 0x00]));
    const read = await reader.deserialize({ value });
    expect(read).toMatchObject({ schemaId: 7, schemaType: 'BYTES', carrier: 'prefix' });
    expect(Buffer.from(read?.value as Uint8Array).equals(value)).toBe(true);
  });

  it('reads the id of a key carrier, and a value without one as bytes with no id', () => {
    const value = Buffer.from('plain');
    expect(reader.deserializeSync({ value, key: Buffer.from('12') })).toMatchObject({
      schemaId: 12,
      carrier: 'key',
    });
    expect(reader.deserializeSync({ value, key: Buffer.from('k') })).toMatchObject({
      schemaId: undefined,
      schemaType: 'BYTES',
      carrier: undefined,
      value,
    });
  });

  it('gives a value with a malformed header as bytes with no id, reading the header once', () => {
    let reads = 0;
    const headers = {
      get __value_schema_id() {
        reads++;
        return Buffer.from([0x07]);
      },
    };
    expect(reader.deserializeSync({ value: Buffer.from('x'), headers })).toMatchObject({
      schemaId: undefined,
      schemaType: 'BYTES',
    });
    expect(reads).toBe(1);
    expect(reader.deserializeSync({ value: null })).toBeNull();
  });

  it('is the value deserializer only when values are not decoded', () => {
    const header = { __value_schema_id: encodeConfluentHeader(3) };
    expect(valueDeserializer(false, { registry, formats: [] })).toBeInstanceOf(UndecodedValueReader);
    expect(valueDeserializer(true, { registry, formats: [] })).not.toBeInstanceOf(UndecodedValueReader);
    expect(
      valueDeserializer(false, { registry, formats: [] }).deserializeSync({
        value: Buffer.from('x'),
        headers: header,
      }),
    ).toMatchObject({ schemaId: 3, carrier: 'confluent-header' });
  });
});
