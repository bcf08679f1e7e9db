import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SchemaIdCarrier } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { avroRecord, KafkaHarness } from '../support/kafka-harness.js';
import { PlatformaticHarness } from './platformatic-harness.js';

const user = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
]);
const formats = [avroFormat()];

const kafka = new KafkaHarness();
const platformatic = new PlatformaticHarness();

beforeAll(() => kafka.start());
afterAll(async () => {
  await platformatic.close();
  await kafka.close();
});

describe('platformatic-kafka > producer > carriers', () => {
  it.each<SchemaIdCarrier>(['prefix', 'confluent-header', 'apicurio-header'])(
    'writes Avro values with the %s carrier that the consumer decodes, tombstones included',
    async (carrier) => {
      const topic = await kafka.topic();
      const producer = platformatic.schemaProducer({
        value: new Serializer({ registry: kafka.registry(), formats, schema: user, carrier }),
      });
      const result = await producer.send({
        messages: [
          { topic, key: 'ann', value: { name: 'Ann', age: 41 } },
          { topic, key: 'ann', value: null },
          { topic, key: 'bob', value: { name: 'Bob', age: 7 } },
        ],
      });
      expect(result.offsets).toEqual([{ topic, partition: 0, offset: 0n }]);

      const { consumer, arrivals } = await platformatic.consume(topic, {
        value: new Deserializer({ registry: kafka.registry(), formats }),
      });
      const read = await arrivals.waitFor(3);
      await consumer.stop();
      expect(read.map(({ decoded }) => [decoded.key, decoded.value, decoded.carrier])).toEqual([
        [Buffer.from('ann'), { name: 'Ann', age: 41 }, carrier],
        [Buffer.from('ann'), null, undefined],
        [Buffer.from('bob'), { name: 'Bob', age: 7 }, carrier],
      ]);
      expect(consumer.stats()).toEqual({ decoded: 3, skipped: 0, deadLettered: 0, failed: 0 });
    },
  );

  it('writes the value schema id in the key with the key carrier, and decodes keys with a key serializer', async () => {
    const [keyed, carried] = await kafka.topics(2);
    const key = avroRecord('UserKey', [{ name: 'id', type: 'int' }]);
    const producer = platformatic.schemaProducer({
      value: new Serializer({ registry: kafka.registry(), formats, schema: user }),
      key: new Serializer({ registry: kafka.registry(), formats, schema: key, isKey: true }),
    });
    await producer.send({ messages: [{ topic: keyed!, key: { id: 1 }, value: { name: 'Ann', age: 41 } }] });
    const byKey = platformatic.schemaProducer({
      value: new Serializer({ registry: kafka.registry(), formats, schema: user, carrier: 'key' }),
    });
    await byKey.send({ messages: [{ topic: carried!, value: { name: 'Cy', age: 3 } }] });

    const keys = await platformatic.consume(keyed!, {
      value: new Deserializer({ registry: kafka.registry(), formats }),
      key: new Deserializer({ registry: kafka.registry(), formats, isKey: true }),
    });
    const [withKey] = await keys.arrivals.waitFor(1);
    await keys.consumer.stop();
    expect([withKey!.decoded.key, withKey!.decoded.value]).toEqual([{ id: 1 }, { name: 'Ann', age: 41 }]);

    const values = await platformatic.consume(carried!, {
      value: new Deserializer({ registry: kafka.registry(), formats, keyCarrier: true }),
    });
    const [inKey] = await values.arrivals.waitFor(1);
    await values.consumer.stop();
    expect([inKey!.decoded.value, inKey!.decoded.carrier]).toEqual([{ name: 'Cy', age: 3 }, 'key']);
  });

  it('sends nothing when one message cannot be written, and names it', async () => {
    const topic = await kafka.topic();
    const producer = platformatic.schemaProducer({
      value: new Serializer({ registry: kafka.registry(), formats, schema: user }),
    });
    await expect(
      producer.send({
        messages: [
          { topic, value: { name: 'Ann', age: 41 } },
          { topic, value: { name: 'Bad', age: 'old' } },
        ],
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^cannot send messages\[1\] to topic /) });
    expect(await kafka.written(topic)).toEqual(['0']);
  });
});

describe('platformatic-kafka > producer > interop', () => {
  it('puts a key on the partition kafkajs puts it on, and each client decodes what the other wrote', async () => {
    const topic = (await kafka.topics(1, 3))[0]!;
    const serializer = () => new Serializer({ registry: kafka.registry(), formats, schema: user });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const ours = await platformatic
      .schemaProducer({ value: serializer() })
      .send({ messages: keys.map((key, age) => ({ topic, key, value: { name: key, age } })) });
    const theirs = await kafka.schemaProducer({ value: serializer() });
    const acks = await theirs.send({
      topic,
      messages: keys.map((key, age) => ({ key, value: { name: key, age: age + 100 } })),
    });
    const partitions = (offsets: readonly { partition: number }[]) =>
      offsets.map(({ partition }) => partition).sort();
    expect(partitions(ours.offsets)).toEqual(partitions(acks));

    const { consumer, arrivals } = await platformatic.consume(topic, {
      value: new Deserializer({ registry: kafka.registry(), formats }),
    });
    const read = await arrivals.waitFor(12);
    await consumer.stop();
    const where = new Map<string, Set<number>>();
    for (const { message, decoded } of read) {
      const key = message.key!.toString();
      where.set(key, (where.get(key) ?? new Set()).add(message.partition));
      expect((decoded.value as { name: string }).name).toBe(key);
    }
    expect([...where.values()].every((set) => set.size === 1)).toBe(true);

    const back = await kafka.read(topic, 12, {
      value: new Deserializer({ registry: kafka.registry(), formats }),
    });
    expect(
      back
        .map(({ decoded }) => decoded.value)
        .sort((a, b) => (a as { age: number }).age - (b as { age: number }).age),
    ).toEqual([
      ...keys.map((name, age) => ({ name, age })),
      ...keys.map((name, age) => ({ name, age: age + 100 })),
    ]);
  });
});
