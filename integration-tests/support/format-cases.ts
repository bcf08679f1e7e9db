import type { Schema, SchemaFormat, SchemaType } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { exampleSchema } from './example-schemas.js';
import { avroRecord } from './kafka-harness.js';

/** A user of version 1 of the user schema. */
export interface User {
  readonly first_name: string;
  readonly last_name: string;
  readonly age: number;
}

/** A user of version 2, which adds an optional country. */
export interface UserV2 extends User {
  readonly country: string;
}

/**
 * One schema format with the schemas the format-parameterized suites send: a user in three versions
 * (v2 BACKWARD-compatible with v1, v3 not with v2) and a Customer referencing an Address.
 */
export interface FormatCase {
  /** The format's name in describe breadcrumbs. */
  readonly name: string;
  readonly format: SchemaFormat;
  readonly schemaType: SchemaType;
  /** The message indexes the prefix and the Confluent header carry after the id: `00` for Protobuf. */
  readonly indexes: Buffer;
  readonly userV1: Schema;
  readonly userV2: Schema;
  readonly userV3: Schema;
  /** A v1 user as a v2 reader decodes it: with the country filled in where the format fills one. */
  readonly readAsV2: (user: User) => object;
  /** A v2 user changed the way only v3 can write it. */
  readonly toV3: (user: UserV2) => object;
  readonly address: Schema;
  /** The name the Customer schema references the Address by. */
  readonly addressReference: string;
  /** A Customer whose billing and optional shipping Address come from version 1 of `addressSubject`. */
  readonly customer: (addressSubject: string) => Schema;
}

const avroUser = exampleSchema('user.avsc');

const protobufUser = (fields: string): Schema => ({
  schemaType: 'PROTOBUF',
  schema: `syntax = "proto3";
package io.schemawire.example;

message User {
  string first_name = 1;
  string last_name = 2;
  int32 age = 3;${fields}
}
`,
});

const jsonUser = (properties: object, required: readonly string[]): Schema => ({
  schemaType: 'JSON',
  schema: JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'User',
    type: 'object',
    properties: {
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      age: { type: 'integer' },
      ...properties,
    },
    required: ['first_name', 'last_name', 'age', ...required],
    // Closed: a property added to an open content model could already have been written with any
    // value, so only a closed model gains an optional property compatibly (Confluent's rule, which the
    // format implements; Apicurio refuses the open case too: "Object type property schemas narrowed").
    additionalProperties: false,
  }),
});

const JSON_ADDRESS_URL = 'https://schemawire.example.com/address.json';

/** Avro, Protobuf and JSON Schema, each with the schemas above. */
export const formatCases: readonly FormatCase[] = [
  {
    name: 'avro',
    format: avroFormat(),
    schemaType: 'AVRO',
    indexes: Buffer.alloc(0),
    userV1: avroUser,
    // BACKWARD-compatible: a v2 reader fills the field v1 data lacks with its default.
    userV2: withAvroFields(avroUser, [{ name: 'country', type: 'string', default: 'unknown' }]),
    // Not BACKWARD-compatible: a v3 reader finds neither a value nor a default for `email` in v2 data.
    userV3: withAvroFields(avroUser, [
      { name: 'country', type: 'string', default: 'unknown' },
      { name: 'email', type: 'string' },
    ]),
    readAsV2: (user) => ({ ...user, country: 'unknown' }),
    toV3: (user) => ({ ...user, email: `${user.first_name.toLowerCase()}@example.com` }),
    address: avroRecord('Address', [
      { name: 'street', type: 'string' },
      { name: 'city', type: 'string' },
    ]),
    addressReference: 'com.example.Address',
    customer: (addressSubject) => ({
      ...avroRecord('Customer', [
        { name: 'name', type: 'string' },
        { name: 'billing', type: 'com.example.Address' },
        { name: 'shipping', type: ['null', 'com.example.Address'] },
      ]),
      references: [{ name: 'com.example.Address', subject: addressSubject, version: 1 }],
    }),
  },
  {
    name: 'protobuf',
    // The .proto field names, so decoded users are the same objects as in the other formats.
    format: protobufFormat({ fieldNames: 'proto' }),
    schemaType: 'PROTOBUF',
    indexes: Buffer.from([0x00]),
    userV1: protobufUser(''),
    // BACKWARD-compatible: a new field number; a v2 reader decodes v1 data with the field at its default.
    userV2: protobufUser('\n  string country = 4;'),
    // Not BACKWARD-compatible: field 4 becomes a varint, which cannot read the length-delimited v2 strings.
    userV3: protobufUser('\n  int32 country = 4;'),
    readAsV2: (user) => ({ ...user, country: '' }),
    toV3: (user) => ({ ...user, country: 44 }),
    address: {
      schemaType: 'PROTOBUF',
      schema: `syntax = "proto3";
package com.example;

message Address {
  string street = 1;
  string city = 2;
}
`,
    },
    addressReference: 'address.proto',
    customer: (addressSubject) => ({
      schemaType: 'PROTOBUF',
      schema: `syntax = "proto3";
package com.example;

import "address.proto";

message Customer {
  string name = 1;
  Address billing = 2;
  Address shipping = 3;
}
`,
      references: [{ name: 'address.proto', subject: addressSubject, version: 1 }],
    }),
  },
  {
    name: 'json',
    format: jsonSchemaFormat({ validateOnDeserialize: true }),
    schemaType: 'JSON',
    indexes: Buffer.alloc(0),
    userV1: jsonUser({}, []),
    // BACKWARD-compatible: an optional property added to a closed content model.
    userV2: jsonUser({ country: { type: 'string' } }, []),
    // Not BACKWARD-compatible: v2 data need not have the property v3 requires.
    userV3: jsonUser({ country: { type: 'string' }, email: { type: 'string' } }, ['email']),
    // JSON Schema fills no defaults: the reader schema only checks the value.
    readAsV2: (user) => user,
    toV3: (user) => ({ ...user, email: `${user.first_name.toLowerCase()}@example.com` }),
    address: {
      schemaType: 'JSON',
      schema: JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: JSON_ADDRESS_URL,
        title: 'Address',
        type: 'object',
        properties: { street: { type: 'string' }, city: { type: 'string' } },
        required: ['street', 'city'],
      }),
    },
    addressReference: JSON_ADDRESS_URL,
    customer: (addressSubject) => ({
      schemaType: 'JSON',
      schema: JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'Customer',
        type: 'object',
        properties: {
          name: { type: 'string' },
          billing: { $ref: JSON_ADDRESS_URL },
          shipping: { anyOf: [{ type: 'null' }, { $ref: JSON_ADDRESS_URL }] },
        },
        required: ['name', 'billing'],
      }),
      references: [{ name: JSON_ADDRESS_URL, subject: addressSubject, version: 1 }],
    }),
  },
];

function withAvroFields(schema: Schema, fields: readonly object[]): Schema {
  const record = JSON.parse(schema.schema) as { fields: object[] };
  return { ...schema, schema: JSON.stringify({ ...record, fields: [...record.fields, ...fields] }) };
}
