/**
 * The record every codec case writes and reads, as issue 7 describes it: a long, two strings, an int,
 * a nullable string, a double, a boolean, a string array, an enum and a nested record of three strings;
 * with the same shape as an Avro schema, a Protobuf message and a JSON Schema.
 */

/** The record's value as each format takes it. */
export const benchRecord = {
  id: 1_234_567_890_123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  age: 36,
  nickname: 'Countess',
  score: 98.6,
  active: true,
  tags: ['mathematics', 'engines', 'poetry'],
  status: 'ACTIVE',
  address: { street: '12 St James Square', city: 'London', country: 'UK' },
};

/**
 * The record's Avro schema, its record types' names prefixed with `prefix`. avsc compiles each record
 * type's reader and writer from source text that only the field count and the record's name change,
 * and V8 shares compiled code and type feedback between functions of the same source in a process. So
 * that the contenders of a case, which never meet in an application, do not slow each other down
 * through that sharing, each one reads and writes records of its own name; the bytes do not change.
 */
export function benchAvroSchema(prefix = ''): string {
  return JSON.stringify({
    type: 'record',
    name: `${prefix}BenchRecord`,
    namespace: 'io.schemawire.bench',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'age', type: 'int' },
      { name: 'nickname', type: ['null', 'string'], default: null },
      { name: 'score', type: 'double' },
      { name: 'active', type: 'boolean' },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['ACTIVE', 'SUSPENDED', 'CLOSED'] } },
      {
        name: 'address',
        type: {
          type: 'record',
          name: `${prefix}Address`,
          fields: [
            { name: 'street', type: 'string' },
            { name: 'city', type: 'string' },
            { name: 'country', type: 'string' },
          ],
        },
      },
    ],
  });
}

/**
 * The record's Protobuf schema, its message types' names prefixed with `prefix`: protobufjs, too,
 * compiles each message type's encoder and decoder from source text (see {@link benchAvroSchema}).
 * Field names are single words, so JSON and .proto names agree.
 */
export function benchProtoSchema(prefix = ''): string {
  return `syntax = "proto3";
package io.schemawire.bench;

message ${prefix}BenchRecord {
  enum Status {
    ACTIVE = 0;
    SUSPENDED = 1;
    CLOSED = 2;
  }
  message ${prefix}Address {
    string street = 1;
    string city = 2;
    string country = 3;
  }
  int64 id = 1;
  string name = 2;
  string email = 3;
  int32 age = 4;
  optional string nickname = 5;
  double score = 6;
  bool active = 7;
  repeated string tags = 8;
  Status status = 9;
  ${prefix}Address address = 10;
}
`;
}

/** The full name of the Protobuf message of {@link benchProtoSchema}, as protobufjs looks it up. */
export function benchProtoMessage(prefix = ''): string {
  return `io.schemawire.bench.${prefix}BenchRecord`;
}

/** The record's JSON Schema (draft-07). */
export const benchJsonSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'BenchRecord',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'email', 'age', 'score', 'active', 'tags', 'status', 'address'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: 'string' },
    age: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    nickname: { type: ['string', 'null'] },
    score: { type: 'number' },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    status: { enum: ['ACTIVE', 'SUSPENDED', 'CLOSED'] },
    address: {
      type: 'object',
      additionalProperties: false,
      required: ['street', 'city', 'country'],
      properties: {
        street: { type: 'string' },
        city: { type: 'string' },
        country: { type: 'string' },
      },
    },
  },
});

/** The record as a Protobuf message decodes to plain objects (64-bit integers as decimal text). */
export const benchProtoObject = { ...benchRecord, id: String(benchRecord.id) };

/** The two-field record of the fixed-cost cases: what a message costs beyond its fields' own work. */
export const benchSmallRecord = { id: 1_234_567_890_123, name: 'Ada Lovelace' };

/** The two-field record's Avro schema, its name prefixed with `prefix` (see {@link benchAvroSchema}). */
export function benchSmallAvroSchema(prefix = ''): string {
  return JSON.stringify({
    type: 'record',
    name: `${prefix}SmallRecord`,
    namespace: 'io.schemawire.bench',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
    ],
  });
}

/** The two-field record's Protobuf schema, its message's name prefixed with `prefix`. */
export function benchSmallProtoSchema(prefix = ''): string {
  return `syntax = "proto3";
package io.schemawire.bench;

message ${prefix}SmallRecord {
  int64 id = 1;
  string name = 2;
}
`;
}

/** The full name of the Protobuf message of {@link benchSmallProtoSchema}. */
export function benchSmallProtoMessage(prefix = ''): string {
  return `io.schemawire.bench.${prefix}SmallRecord`;
}

/** The two-field record as a Protobuf message decodes to plain objects. */
export const benchSmallProtoObject = { ...benchSmallRecord, id: String(benchSmallRecord.id) };
