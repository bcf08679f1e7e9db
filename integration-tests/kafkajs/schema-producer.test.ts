import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SerializerOptions } from '@schemawire/core-client';
import { Deserializer, decodeApicurioId, ErrorCode, Serializer } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { avroRecord, CountingRegistry, KafkaHarness } from '../support/kafka-harness.js';

const user = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
]);
const userKey = avroRecord('UserKey', [{ name: 'id', type: 'string' }]);
const ann = { name: 'Ann', age: 41 };
const bob = { name: 'Bob', age: 7 };

const harness = new KafkaHarness();

beforeAll(async () => {
  await harness.start();
});

afterAll(() => harness.close());

function serializer(options: Partial<SerializerOptions> = {}): Serializer {
  return new Serializer({ registry: harness.registry(), formats: [avroFormat()], schema: user, ...options });
}

function deserializer(options: { isKey?: boolean; keyCarrier?: boolean } = {}): Deserializer {
  return new Deserializer({ registry: harness.registry(), formats: [avroFormat()], ...options });
}

const text = (bytes: unknown) => (Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes);

describe('kafkajs > producer > carriers', () => {
  it('prefix: values carry the Confluent prefix and decode with the registered schema', async () => {
    const [topic] = await harness.topics(1);
    const values = serializer();
    const sent = await (await harness.schemaProducer({ value: values })).send({
      topic: topic!,
      messages: [
        { key: 'k1', value: ann },
        { key: Buffer.from('k2'), value: bob },
      ],
    });
    expect(sent.map((metadata) => metadata.errorCode)).toEqual([0]);
    const { id } = await values.prepare(topic!);

    const read = await harness.read(topic!, 2, { value: deserializer() });
    expect(read.map(({ decoded }) => decoded.value)).toEqual([ann, bob]);
    expect(read.map(({ decoded }) => text(decoded.key))).toEqual(['k1', 'k2']);
    expect(read[0]!.decoded).toMatchObject({ schemaId: id, schemaType: 'AVRO', carrier: 'prefix' });
    expect(read[0]!.message.value![0]).toBe(0);
    expect(read[0]!.message.value!.readUInt32BE(1)).toBe(id);
  });

  it('confluent-header: without registry GUIDs the header holds the id form, and decodes', async () => {
    const [topic] = await harness.topics(1);
    const values = serializer({ carrier: 'confluent-header' });
    await (await harness.schemaProducer({ value: values })).send({
      topic: topic!,
      messages: [{ value: ann }],
    });
    const { id, guid } = await values.prepare(topic!);
    // Apicurio's Confluent API has no GUIDs; the 0x00 + 4-byte id form is what Confluent's clients read then.
    expect(guid).toBeUndefined();

    const [payload] = await harness.read(topic!, 1, { value: deserializer() });
    expect(payload!.decoded).toMatchObject({ value: ann, schemaId: id, carrier: 'confluent-header' });
    const idForm = Buffer.alloc(5);
    idForm.writeUInt32BE(id, 1);
    expect(payload!.message.headers!['__value_schema_id']).toEqual(idForm);
  });

  it('apicurio-header: the contentId travels in a header and the body is bare', async () => {
    const [topic] = await harness.topics(1);
    const values = serializer({ carrier: 'apicurio-header' });
    await (await harness.schemaProducer({ value: values })).send({
      topic: topic!,
      messages: [{ value: ann }],
    });
    const { id } = await values.prepare(topic!);

    const [payload] = await harness.read(topic!, 1, { value: deserializer() });
    expect(payload!.decoded).toMatchObject({ value: ann, schemaId: id, carrier: 'apicurio-header' });
    const header = payload!.message.headers!['apicurio.value.contentId'];
    expect(decodeApicurioId(header as Buffer)).toBe(id);
    expect(payload!.message.value![0]).not.toBe(0);
  });

  it('key: the value schema id becomes the message key', async () => {
    const [topic] = await harness.topics(1);
    const values = serializer({ carrier: 'key' });
    await (await harness.schemaProducer({ value: values })).send({
      topic: topic!,
      messages: [{ value: bob }],
    });
    const { id } = await values.prepare(topic!);

    const [payload] = await harness.read(topic!, 1, { value: deserializer({ keyCarrier: true }) });
    expect(payload!.decoded).toMatchObject({ value: bob, schemaId: id, carrier: 'key' });
    expect(text(payload!.decoded.key)).toBe(String(id));
  });

  it('key: a message with a key of its own is a config error naming it, and nothing is sent', async () => {
    const [topic] = await harness.topics(1);
    const schemaProducer = await harness.schemaProducer({ value: serializer({ carrier: 'key' }) });
    const send = schemaProducer.send({
      topic: topic!,
      messages: [{ value: ann }, { key: 'mine', value: bob }],
    });
    await expect(send).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringMatching(/^cannot send messages\[1\] to topic ".+": cannot use the key carrier/),
    });
    expect(await harness.written(topic!)).toEqual(['0']);
  });
});

describe('kafkajs > producer > keys', () => {
  it("serializes keys, merging the key's and value's id headers with the message's own", async () => {
    const [topic] = await harness.topics(1);
    const schemaProducer = await harness.schemaProducer({
      value: serializer({ carrier: 'apicurio-header' }),
      key: serializer({ isKey: true, schema: userKey, carrier: 'apicurio-header' }),
    });
    await schemaProducer.send({
      topic: topic!,
      messages: [{ key: { id: 'u-1' }, value: ann, headers: { 'trace-id': 'abc' } }],
    });

    const [payload] = await harness.read(topic!, 1, {
      value: deserializer(),
      key: deserializer({ isKey: true }),
    });
    expect(payload!.decoded).toMatchObject({ value: ann, key: { id: 'u-1' } });
    expect(Object.keys(payload!.message.headers!).sort()).toEqual([
      'apicurio.key.contentId',
      'apicurio.value.contentId',
      'trace-id',
    ]);
    expect(text(payload!.message.headers!['trace-id'])).toBe('abc');
  });

  it('a message header with the name of an id header is a config error naming the header', async () => {
    const [topic] = await harness.topics(1);
    const schemaProducer = await harness.schemaProducer({
      value: serializer({ carrier: 'apicurio-header' }),
    });
    const send = schemaProducer.send({
      topic: topic!,
      messages: [{ value: ann, headers: { 'apicurio.value.contentId': 'x' } }],
    });
    await expect(send).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringMatching(/^cannot send messages\[0\] to topic .+"apicurio\.value\.contentId"/),
    });
    expect(await harness.written(topic!)).toEqual(['0']);
  });

  it('without a key serializer a key that is not a string, Buffer or null is a config error', async () => {
    const [topic] = await harness.topics(1);
    const send = (await harness.schemaProducer({ value: serializer() })).send({
      topic: topic!,
      messages: [{ key: 42, value: ann }],
    });
    await expect(send).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringContaining('42'),
    });
  });
});

describe('kafkajs > producer > batches', () => {
  it('sendBatch registers each topic once and writes every message in order', async () => {
    const topics = await harness.topics(2);
    const registry = new CountingRegistry(harness.registry());
    const values = new Serializer({ registry, formats: [avroFormat()], schema: user });
    const messages = Array.from({ length: 50 }, (_, i) => ({ value: { name: `user ${i}`, age: i } }));
    await (await harness.schemaProducer({ value: values })).sendBatch({
      topicMessages: topics.map((topic) => ({ topic, messages })),
    });
    expect(registry.registrations).toBe(2);
    expect(await harness.written(topics[0]!)).toEqual(['50']);
    expect(await harness.written(topics[1]!)).toEqual(['50']);

    const read = await harness.read(topics[1]!, 50, { value: deserializer() });
    expect(read.map(({ decoded }) => decoded.value)).toEqual(messages.map(({ value }) => value));
  });

  it('a value that does not fit names its index, and nothing of the send is sent', async () => {
    const topics = await harness.topics(2);
    const schemaProducer = await harness.schemaProducer({ value: serializer() });
    const misfit = { name: 'Eve', age: 'old' };

    const send = schemaProducer.send({
      topic: topics[0]!,
      messages: [{ value: ann }, { value: bob }, { value: misfit }],
    });
    await expect(send).rejects.toMatchObject({
      code: ErrorCode.SerializationFailed,
      topic: topics[0],
      message: expect.stringMatching(/^cannot send messages\[2\] to topic ".+": cannot serialize value/),
    });

    const batch = schemaProducer.sendBatch({
      topicMessages: [
        { topic: topics[0]!, messages: [{ value: ann }] },
        { topic: topics[1]!, messages: [{ value: bob }, { value: misfit }] },
      ],
    });
    await expect(batch).rejects.toMatchObject({
      code: ErrorCode.SerializationFailed,
      topic: topics[1],
      message: expect.stringContaining('topicMessages[1].messages[1]'),
    });
    expect(await harness.written(topics[0]!)).toEqual(['0']);
    expect(await harness.written(topics[1]!)).toEqual(['0']);
  });
});

describe('kafkajs > producer > tombstones', () => {
  it('a null value is sent as a tombstone with its key, and asks nothing of the registry', async () => {
    const [topic] = await harness.topics(1);
    const registry = new CountingRegistry(harness.registry());
    const values = new Serializer({ registry, formats: [avroFormat()], schema: user });
    await (await harness.schemaProducer({ value: values })).send({
      topic: topic!,
      messages: [{ key: 'gone', value: null }],
    });
    expect(registry.registrations).toBe(0);

    const [payload] = await harness.read(topic!, 1, { value: deserializer() });
    expect(payload!.message.value).toBeNull();
    expect(payload!.decoded).toMatchObject({ value: null, schemaId: undefined, schemaType: undefined });
    expect(text(payload!.decoded.key)).toBe('gone');
  });

  it('tombstones and values mix in one send', async () => {
    const [topic] = await harness.topics(1);
    await (await harness.schemaProducer({ value: serializer({ carrier: 'key' }) })).send({
      topic: topic!,
      messages: [{ value: ann }, { key: 'gone', value: null }],
    });

    const read = await harness.read(topic!, 2, { value: deserializer({ keyCarrier: true }) });
    expect(read.map(({ decoded }) => decoded.value)).toEqual([ann, null]);
    expect(text(read[1]!.decoded.key)).toBe('gone');
  });
});
