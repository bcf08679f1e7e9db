import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RegisteredSchema, Schema, SchemaFormat } from '@schemawire/core-client';
import {
  checkCompatibility,
  Deserializer,
  ErrorCode,
  SchemaResolver,
  Serializer,
} from '@schemawire/core-client';
import type { FormatCase, User, UserV2 } from '../support/format-cases.js';
import { formatCases } from '../support/format-cases.js';
import { KafkaHarness } from '../support/kafka-harness.js';

const ada: User = { first_name: 'Ada', last_name: 'Lovelace', age: 36 };
const alan: UserV2 = { first_name: 'Alan', last_name: 'Turing', age: 41, country: 'UK' };

const harness = new KafkaHarness();

beforeAll(async () => {
  await harness.start();
});

afterAll(() => harness.close());

/** Sends `value` to `topic`, written with `schema`; returns the schema the registry gave it. */
async function produce(
  format: SchemaFormat,
  topic: string,
  schema: Schema,
  value: object,
): Promise<RegisteredSchema> {
  const serializer = new Serializer({ registry: harness.registry(), formats: [format], schema });
  await (await harness.schemaProducer({ value: serializer })).send({ topic, messages: [{ value }] });
  return serializer.prepare(topic);
}

/** A topic with a v1 message, then, once its subject is BACKWARD, a v2 one. */
async function evolvedTopic({
  format,
  userV1,
  userV2,
}: FormatCase): Promise<{ topic: string; subject: string; ids: [number, number] }> {
  const topic = await harness.topic();
  const subject = `${topic}-value`;
  const registry = harness.registry();
  const first = await produce(format, topic, userV1, ada);
  // Apicurio's default level takes any schema, so the subject needs a level of its own.
  expect(await registry.getCompatibility(subject)).toBe('NONE');
  await registry.setCompatibility('BACKWARD', subject);
  expect(await registry.getCompatibility(subject)).toBe('BACKWARD');
  const second = await produce(format, topic, userV2, alan);
  return { topic, subject, ids: [first.id, second.id] };
}

describe.each(formatCases)('formats > $name > evolution > backward', (formatCase) => {
  const { format, userV2, userV3, readAsV2, toV3 } = formatCase;
  const formats = [format];

  it('a v2 reader decodes v1 and v2 messages of one subject, as the format reads v1 data', async () => {
    const { topic, subject, ids } = await evolvedTopic(formatCase);
    expect(ids[0]).not.toBe(ids[1]);
    expect(await harness.registry().listVersions(subject)).toEqual([1, 2]);

    const reader = new Deserializer({ registry: harness.registry(), formats, readerSchema: userV2 });
    const read = await harness.read(topic, 2, { value: reader });
    expect(read.map(({ decoded }) => ({ value: decoded.value, schemaId: decoded.schemaId }))).toEqual([
      { value: readAsV2(ada), schemaId: ids[0] },
      { value: alan, schemaId: ids[1] },
    ]);
  });

  it('the registry refuses an incompatible v3 with SCHEMAWIRE_INCOMPATIBLE_SCHEMA, and nothing is sent', async () => {
    const { topic, subject } = await evolvedTopic(formatCase);
    const registry = harness.registry();
    expect(await registry.testCompatibility(subject, userV3)).toMatchObject({ compatible: false });
    await expect(registry.register(subject, userV3)).rejects.toMatchObject({
      code: ErrorCode.IncompatibleSchema,
      subject,
    });

    const third = new Serializer({ registry, formats, schema: userV3 });
    await expect(
      (await harness.schemaProducer({ value: third })).send({ topic, messages: [{ value: toV3(alan) }] }),
    ).rejects.toMatchObject({ code: ErrorCode.IncompatibleSchema, topic });
    expect(await registry.listVersions(subject)).toEqual([1, 2]);
    expect(await harness.written(topic)).toEqual(['2']);
  });

  // The embedded registry and `check` decide with the format's rules: they must agree with a real registry's.
  it("the format's own BACKWARD check agrees with the registry's on the versions it holds", async () => {
    const { subject } = await evolvedTopic(formatCase);
    const registry = harness.registry();
    const resolver = new SchemaResolver(registry);
    const [v1, v2] = [await resolver.version(subject, 1), await resolver.version(subject, 2)];
    expect(checkCompatibility(format, v2, [v1], 'BACKWARD')).toEqual({ compatible: true, messages: [] });

    expect(await registry.testCompatibility(subject, userV3)).toMatchObject({ compatible: false });
    const v3 = await resolver.resolveSchema(userV3);
    expect(checkCompatibility(format, v3, [v1, v2], 'BACKWARD')).toMatchObject({ compatible: false });
  });
});
