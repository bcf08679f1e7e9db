import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RegisteredSchema, Schema } from '@schemawire/core-client';
import { Deserializer, ErrorCode, Serializer } from '@schemawire/core-client';
import { SchemaProducer } from '@schemawire/kafkajs';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Producer } from 'kafkajs';
import { exampleSchema } from '../support/example-schemas.js';
import { KafkaHarness } from '../support/kafka-harness.js';

const v1 = exampleSchema('user.avsc');
// BACKWARD-compatible: a v2 reader fills the field v1 data lacks with its default.
const v2 = withFields(v1, [{ name: 'country', type: 'string', default: 'unknown' }]);
// Not BACKWARD-compatible: a v3 reader finds neither a value nor a default for `email` in v2 data.
const v3 = withFields(v2, [{ name: 'email', type: 'string' }]);

const ada = { first_name: 'Ada', last_name: 'Lovelace', age: 36 };
const alan = { first_name: 'Alan', last_name: 'Turing', age: 41, country: 'UK' };
const formats = [avroFormat()];

const harness = new KafkaHarness();
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(() => harness.close());

function withFields(schema: Schema, fields: readonly object[]): Schema {
  const record = JSON.parse(schema.schema) as { fields: object[] };
  return { ...schema, schema: JSON.stringify({ ...record, fields: [...record.fields, ...fields] }) };
}

/** Sends `value` to `topic`, written with `schema`; returns the schema the registry gave it. */
async function produce(topic: string, schema: Schema, value: object): Promise<RegisteredSchema> {
  const serializer = new Serializer({ registry: harness.registry(), formats, schema });
  await new SchemaProducer(producer, { value: serializer }).send({ topic, messages: [{ value }] });
  return serializer.prepare(topic);
}

/** A topic with a v1 message, then, once its subject is BACKWARD, a v2 one. */
async function evolvedTopic(): Promise<{ topic: string; subject: string; ids: [number, number] }> {
  const topic = await harness.topic();
  const subject = `${topic}-value`;
  const registry = harness.registry();
  const first = await produce(topic, v1, ada);
  // Apicurio's default level takes any schema, so the subject needs a level of its own.
  expect(await registry.getCompatibility(subject)).toBe('NONE');
  await registry.setCompatibility('BACKWARD', subject);
  expect(await registry.getCompatibility(subject)).toBe('BACKWARD');
  const second = await produce(topic, v2, alan);
  return { topic, subject, ids: [first.id, second.id] };
}

describe('avro > evolution > backward', () => {
  it('a v2 reader decodes v1 and v2 messages of one subject, filling the default into v1 data', async () => {
    const { topic, subject, ids } = await evolvedTopic();
    expect(ids[0]).not.toBe(ids[1]);
    expect(await harness.registry().listVersions(subject)).toEqual([1, 2]);

    const reader = new Deserializer({ registry: harness.registry(), formats, readerSchema: v2 });
    const read = await harness.read(topic, 2, { value: reader });
    expect(read.map(({ decoded }) => ({ value: decoded.value, schemaId: decoded.schemaId }))).toEqual([
      { value: { ...ada, country: 'unknown' }, schemaId: ids[0] },
      { value: alan, schemaId: ids[1] },
    ]);
  });

  it('the registry refuses an incompatible v3 with SCHEMAWIRE_INCOMPATIBLE_SCHEMA, and nothing is sent', async () => {
    const { topic, subject } = await evolvedTopic();
    const registry = harness.registry();
    expect(await registry.testCompatibility(subject, v3)).toMatchObject({ compatible: false });
    await expect(registry.register(subject, v3)).rejects.toMatchObject({
      code: ErrorCode.IncompatibleSchema,
      subject,
    });

    const third = new Serializer({ registry, formats, schema: v3 });
    const email = { ...alan, email: 'alan@example.com' };
    await expect(
      new SchemaProducer(producer, { value: third }).send({ topic, messages: [{ value: email }] }),
    ).rejects.toMatchObject({ code: ErrorCode.IncompatibleSchema, topic });
    expect(await registry.listVersions(subject)).toEqual([1, 2]);
    expect(await harness.written(topic)).toEqual(['2']);
  });
});
