import { describe, expect, it } from '@jest/globals';
import { defaultToObjectOptions, protobufFormat } from '@schemawire/serdes-protobuf';
import protobuf from 'protobufjs';
import { resolvedSchema } from './support/resolved-schemas.js';

const profileProto = `syntax = "proto3";
package people;

message Profile {
  string first_name = 1;
  string field_2b = 2;
  string legacy = 3 [json_name = "renamed"];
  optional int32 lucky_number = 4;
  Address home_address = 5;
  repeated Address past_addresses = 6;
  map<string, Address> addresses_by_label = 7;
  oneof contact_kind {
    string e_mail = 8;
    string phone_number = 9;
  }
  int64 big_count = 10;

  message Address {
    string zip_code = 1;
    optional string care_of = 2;
  }
}
`;

const schema = resolvedSchema(profileProto);
const body = (value: unknown) => protobufFormat().compile(schema).encode(value, 0);
const value = {
  first_name: 'Ada',
  field_2b: 'b',
  legacy: 'l',
  lucky_number: 0,
  home_address: { zip_code: '1000', care_of: 'Bob' },
  past_addresses: [{ zip_code: '2000' }],
  addresses_by_label: { work: { zip_code: '3000' } },
  phone_number: '555',
  big_count: '9007199254740993',
};

describe('protobuf > json names > decoded objects', () => {
  it('names fields by their JSON names, at every depth, by default', () => {
    const decoded = protobufFormat().compile(schema).decode(body(value), 0, [0]);
    expect(decoded).toEqual({
      firstName: 'Ada',
      field2b: 'b',
      renamed: 'l',
      luckyNumber: 0,
      homeAddress: { zipCode: '1000', careOf: 'Bob' },
      pastAddresses: [{ zipCode: '2000' }],
      addressesByLabel: { work: { zipCode: '3000' } },
      phoneNumber: '555',
      contactKind: 'phoneNumber',
      bigCount: '9007199254740993',
    });
  });

  it('leaves proto3 optional fields out when unset, and keeps no trace of their synthetic oneof', () => {
    const decoded = protobufFormat()
      .compile(schema)
      .decode(body({ home_address: { zip_code: '1' } }), 0, [0]) as Record<string, unknown>;
    expect(decoded).not.toHaveProperty('luckyNumber');
    expect(decoded).not.toHaveProperty('_luckyNumber');
    expect(decoded).not.toHaveProperty('_lucky_number');
    expect(decoded['homeAddress']).toEqual({ zipCode: '1' });
    // Unset fields without presence take their defaults; an unset message field is null.
    expect(decoded).toMatchObject({ firstName: '', bigCount: '0', pastAddresses: [], addressesByLabel: {} });
  });

  it('names fields as the .proto file does with fieldNames "proto"', () => {
    const decoded = protobufFormat({ fieldNames: 'proto' }).compile(schema).decode(body(value), 0, [0]);
    expect(decoded).toMatchObject({
      first_name: 'Ada',
      legacy: 'l',
      home_address: { zip_code: '1000', care_of: 'Bob' },
      contact_kind: 'phone_number',
    });
  });

  it('encodes the objects it decodes to the same bytes, in both naming styles', () => {
    for (const fieldNames of ['json', 'proto'] as const) {
      const codec = protobufFormat({ fieldNames }).compile(schema);
      const bytes = body(value);
      expect(codec.encode(codec.decode(bytes, 0, [0]), 0).equals(bytes)).toBe(true);
    }
  });

  it('applies the toObject options given instead of the default ones', () => {
    const codec = protobufFormat({ toObject: { longs: Number, defaults: false } }).compile(schema);
    expect(codec.decode(body({ big_count: '42', first_name: '' }), 0, [0])).toEqual({ bigCount: 42 });
  });

  it('returns protobufjs message instances with .proto field names with toObject false', () => {
    const codec = protobufFormat({ toObject: false }).compile(schema);
    const decoded = codec.decode(body(value), 0, [0]) as protobuf.Message & Record<string, unknown>;
    expect(decoded).toBeInstanceOf(protobuf.Message);
    expect(decoded.$type.fullName).toBe('.people.Profile');
    expect(decoded['first_name']).toBe('Ada');
  });

  it('defaults to the proto3 JSON mapping options', () => {
    expect(defaultToObjectOptions).toEqual({
      longs: String,
      enums: String,
      bytes: String,
      defaults: true,
      oneofs: true,
    });
    expect(Object.isFrozen(defaultToObjectOptions)).toBe(true);
  });

  it('keeps the .proto name of a field whose JSON name another field has', () => {
    const clash = resolvedSchema(
      'syntax = "proto2"; message A { optional int32 foo_bar = 1; optional int32 fooBar = 2; }',
    );
    const codec = protobufFormat().compile(clash);
    const decoded = codec.decode(codec.encode({ foo_bar: 1, fooBar: 2 }, 0), 0, [0]);
    expect(decoded).toEqual({ foo_bar: 1, fooBar: 2 });
  });
});
