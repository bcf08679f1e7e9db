import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, Serializer } from '@schemawire/core-client';
import type { Decoded } from '@schemawire/kafkajs';
import { SchemaConsumer } from '@schemawire/kafkajs';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Producer } from 'kafkajs';
import { Arrivals, avroRecord, KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const user = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
]);
const order = avroRecord('Order', [
  { name: 'id', type: 'long' },
  { name: 'total', type: 'double' },
]);
const GARBAGE = Buffer.from('garbage');

const harness = new KafkaHarness();
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(() => harness.close());

function deserializer(): Deserializer {
  return new Deserializer({ registry: harness.registry(), formats: [avroFormat()] });
}

/** Writes good users and, where `layout` has `!`, undecodable messages, in one send. */
async function seed(topic: string, layout: string): Promise<void> {
  const serializer = new Serializer({ registry: harness.registry(), formats: [avroFormat()], schema: user });
  const messages = await Promise.all(
    [...layout].map(async (kind, offset) => ({
      value:
        kind === '!'
          ? GARBAGE
          : (await serializer.serialize(topic, { name: `user ${offset}`, age: offset })).bytes,
    })),
  );
  await producer.send({ topic, messages });
}

describe('kafkajs > consumer > mixed topics', () => {
  it('decodes two Avro schemas and a schemaless JSON message on one topic with one deserializer', async () => {
    const [topic] = await harness.topics(1);
    const users = new Serializer({
      registry: harness.registry(),
      formats: [avroFormat()],
      schema: user,
      subjectNameStrategy: 'topicRecord',
    });
    const orders = new Serializer({
      registry: harness.registry(),
      formats: [avroFormat()],
      schema: order,
      subjectNameStrategy: 'topicRecord',
      carrier: 'apicurio-header',
    });
    const ann = await users.serialize(topic!, { name: 'Ann', age: 41 });
    const anOrder = await orders.serialize(topic!, { id: 7, total: 12.5 });
    await producer.send({
      topic: topic!,
      messages: [
        { value: ann.bytes },
        { value: anOrder.bytes, headers: anOrder.headers! },
        { value: JSON.stringify({ legacy: true }) },
      ],
    });
    const userId = (await users.prepare(topic!)).id;
    const orderId = (await orders.prepare(topic!)).id;
    expect(userId).not.toBe(orderId);

    const mixed = new Deserializer({
      registry: harness.registry(),
      formats: [avroFormat()],
      fallback: 'json',
    });
    const read = await harness.read(topic!, 3, { value: mixed });
    const summary = ({ value, schemaId, schemaType, carrier }: Decoded) => ({
      value,
      schemaId,
      schemaType,
      carrier,
    });
    expect(read.map(({ decoded }) => summary(decoded))).toEqual([
      { value: { name: 'Ann', age: 41 }, schemaId: userId, schemaType: 'AVRO', carrier: 'prefix' },
      { value: { id: 7, total: 12.5 }, schemaId: orderId, schemaType: 'AVRO', carrier: 'apicurio-header' },
      { value: { legacy: true }, schemaId: undefined, schemaType: 'JSON', carrier: undefined },
    ]);
  });
});

describe('kafkajs > consumer > create', () => {
  it('makes the kafkajs consumer of the group given, which reads, decodes and commits', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'gg');
    const groupId = uniqueName('group');
    const consumer = SchemaConsumer.create(
      harness.kafka,
      { groupId, maxWaitTimeInMs: 100 },
      { value: deserializer() },
    );
    const arrivals = new Arrivals<unknown>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic!], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ decoded }) => arrivals.push(decoded.value) });
      expect(await arrivals.waitFor(2)).toEqual([
        { name: 'user 0', age: 0 },
        { name: 'user 1', age: 1 },
      ]);
    } finally {
      await consumer.disconnect();
    }
    expect(await harness.committed(groupId, topic!)).toEqual(['2']);
  });
});

describe('kafkajs > consumer > each batch', () => {
  it('hands over decoded messages; resolving them also resolves the skipped ones after them', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'g!g!!');
    const groupId = uniqueName('group');
    const events = new Arrivals<string>();
    const consumer = new SchemaConsumer(harness.consumer({ groupId }), {
      value: deserializer(),
      onError: 'skip',
      onSkip: (_error, { message }) => events.push(`skipped ${message.offset}`),
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic!], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ decodedMessages, resolveOffset }) => {
        for (const { message, decoded } of decodedMessages) {
          expect(decoded.value).toEqual({ name: `user ${message.offset}`, age: Number(message.offset) });
          events.push(`decoded ${message.offset}`);
          resolveOffset(message.offset);
        }
      },
    });
    await events.waitFor(5);
    await consumer.disconnect();

    expect(events.items.filter((event) => event.startsWith('decoded'))).toEqual(['decoded 0', 'decoded 2']);
    expect(events.items.filter((event) => event.startsWith('skipped'))).toEqual([
      'skipped 1',
      'skipped 3',
      'skipped 4',
    ]);
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 3, deadLettered: 0, failed: 0 });
    expect(await harness.committed(groupId, topic!)).toEqual(['5']);
  });

  it('under policy fail, hands over the messages before the failed one and resolves only those', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'gg!g');
    const groupId = uniqueName('group');
    const failures = new Arrivals<string>();
    const consumer = new SchemaConsumer(harness.consumer({ groupId }), {
      value: deserializer(),
      onFailure: (error, { message }) => failures.push(`${error.code} at ${message.offset}`),
    });
    const handed: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic!], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ decodedMessages }) => {
        handed.push(...decodedMessages.map(({ message }) => message.offset));
      },
    });
    await failures.waitFor(1);
    await consumer.disconnect();

    expect(failures.items).toEqual([`${ErrorCode.UnknownMagicByte} at 2`]);
    expect(handed).toEqual(['0', '1']);
    expect(await harness.committed(groupId, topic!)).toEqual(['2']);
  });
});

describe('kafkajs > consumer > pause', () => {
  it("a handler's pause stops its partition right after the message, as in kafkajs", async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'gggg');
    const groupId = uniqueName('group');
    const consumer = new SchemaConsumer(harness.consumer({ groupId }), { value: deserializer() });
    const handled: string[] = [];
    const batchesDone = new Arrivals<number>();
    consumer.consumer.on(consumer.consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      batchesDone.push(payload.batchSize),
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [topic!], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, pause }) => {
        handled.push(message.offset);
        if (message.offset === '1') pause();
      },
    });
    // The four messages were written in one send and come in one batch: its end shows where it stopped.
    expect(await batchesDone.waitFor(1)).toEqual([4]);
    await consumer.disconnect();

    expect(handled).toEqual(['0', '1']);
    expect(await harness.committed(groupId, topic!)).toEqual(['2']);
  });

  it('run takes eachMessage or eachBatch, not both', async () => {
    const consumer = new SchemaConsumer(harness.consumer(), { value: deserializer() });
    await expect(
      consumer.run({ eachMessage: async () => undefined, eachBatch: async () => undefined }),
    ).rejects.toMatchObject({ code: ErrorCode.Config });
    await expect(consumer.run({})).rejects.toMatchObject({ code: ErrorCode.Config });
  });
});
