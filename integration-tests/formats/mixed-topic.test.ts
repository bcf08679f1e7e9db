import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Schema, SchemaIdCarrier } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { Decoded } from '@schemawire/kafkajs';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import type { Message, Producer } from 'kafkajs';
import { exampleSchema } from '../support/example-schemas.js';
import { KafkaHarness } from '../support/kafka-harness.js';

const user = exampleSchema('user.avsc');
const jsonMessage = exampleSchema('my_json_message.json');
// `Order.Line` is the first message nested in the second top-level one: message indexes [1, 0].
const shop: Schema = {
  schemaType: 'PROTOBUF',
  schema: `syntax = "proto3";
package io.schemawire.shop;

message Customer {
  string name = 1;
}

message Order {
  message Line {
    string sku = 1;
    int32 quantity = 2;
  }
  int64 id = 1;
  repeated Line lines = 2;
}
`,
};
// Zig-zag varints: the count 2, then the indexes 1 and 0.
const LINE_INDEXES = Buffer.from([0x04, 0x02, 0x00]);

const formats = [avroFormat(), protobufFormat(), jsonSchemaFormat()];

const harness = new KafkaHarness();
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(() => harness.close());

/**
 * A serializer of `schema` for topics shared by several record types: each type gets its own subject
 * (`<topic>-<type name>`).
 */
function serializer(schema: Schema, carrier: SchemaIdCarrier, messageName?: string): Serializer {
  return new Serializer({
    registry: harness.registry(),
    formats,
    schema,
    carrier,
    subjectNameStrategy: 'topicRecord',
    ...(messageName === undefined ? {} : { messageName }),
  });
}

describe('formats > mixed topic', () => {
  it('one consumer decodes Avro, a nested Protobuf message, JSON Schema and schemaless JSON from one topic', async () => {
    const topic = await harness.topic();
    const users = serializer(user, 'prefix');
    const lines = serializer(shop, 'prefix', 'io.schemawire.shop.Order.Line');
    const headerLines = serializer(shop, 'confluent-header', 'io.schemawire.shop.Order.Line');
    const jsonMessages = serializer(jsonMessage, 'apicurio-header');
    const ada = { first_name: 'Ada', last_name: 'Lovelace', age: 36 };
    const line = { sku: 'A-42', quantity: 3 };
    const headerLine = { sku: 'B-7', quantity: 1 };
    const json = { id: 7, name: 'Grace', age: 85 };
    const messages: Message[] = [];
    for (const [values, value] of [
      [users, ada],
      [lines, line],
      [headerLines, headerLine],
      [jsonMessages, json],
    ] as const) {
      const { bytes, headers } = await values.serialize(topic, value);
      messages.push({ value: bytes, ...(headers === undefined ? {} : { headers }) });
    }
    messages.push({ value: JSON.stringify({ legacy: true }) });
    await producer.send({ topic, messages });

    const userId = (await users.prepare(topic)).id;
    const lineSchema = await lines.prepare(topic);
    expect(lineSchema.subject).toBe(`${topic}-io.schemawire.shop.Order.Line`);
    const jsonId = (await jsonMessages.prepare(topic)).id;
    expect(new Set([userId, lineSchema.id, jsonId]).size).toBe(3);

    const mixed = new Deserializer({ registry: harness.registry(), formats, fallback: 'json' });
    const read = await harness.read(topic, messages.length, { value: mixed });
    const summary = ({ value, schemaId, schemaType, carrier }: Decoded) => ({
      value,
      schemaId,
      schemaType,
      carrier,
    });
    expect(read.map(({ decoded }) => summary(decoded))).toEqual([
      { value: ada, schemaId: userId, schemaType: 'AVRO', carrier: 'prefix' },
      { value: line, schemaId: lineSchema.id, schemaType: 'PROTOBUF', carrier: 'prefix' },
      { value: headerLine, schemaId: lineSchema.id, schemaType: 'PROTOBUF', carrier: 'confluent-header' },
      { value: json, schemaId: jsonId, schemaType: 'JSON', carrier: 'apicurio-header' },
      { value: { legacy: true }, schemaId: undefined, schemaType: 'JSON', carrier: undefined },
    ]);

    // The indexes travel after the id: in the value behind the prefix, in the header behind the id.
    const idForm = Buffer.alloc(5);
    idForm.writeUInt32BE(lineSchema.id, 1);
    const framed = Buffer.concat([idForm, LINE_INDEXES]);
    const [, prefixed, headed] = read.map(({ message }) => message);
    expect(prefixed!.value!.subarray(0, framed.length)).toEqual(framed);
    expect(headed!.headers).toEqual({ __value_schema_id: framed });
  });
});
