import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SchemaWireError } from '@schemawire/core-client';
import { Deserializer, ErrorCode, Serializer } from '@schemawire/core-client';
import type { ConsumedMessage, SchemaConsumerOptions } from '@schemawire/kafkajs';
import { DEAD_LETTER_HEADERS, SchemaConsumer } from '@schemawire/kafkajs';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { KafkaMessage, Producer } from 'kafkajs';
import type { LogLine } from '../support/kafka-harness.js';
import { Arrivals, avroRecord, KafkaHarness, recordingLogger, uniqueName } from '../support/kafka-harness.js';
import { startFlakyRegistryProxy } from './flaky-registry-proxy.js';

const user = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
]);
const GARBAGE = Buffer.from('garbage');

const harness = new KafkaHarness();
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(() => harness.close());

/** The value written at `offset` by {@link seed}. */
const userAt = (offset: number) => ({ name: `user ${offset}`, age: offset });

/**
 * Writes one message per character of `layout` in one send: `g` a good message (the {@link userAt}
 * its offset), `!` one that no deserializer can decode. Every message has key `key <offset>`, and the
 * undecodable ones a header of their own.
 */
async function seed(topic: string, layout: string): Promise<void> {
  const serializer = new Serializer({ registry: harness.registry(), formats: [avroFormat()], schema: user });
  const messages = await Promise.all(
    [...layout].map(async (kind, offset) =>
      kind === '!'
        ? { key: `key ${offset}`, value: GARBAGE, headers: { origin: 'integration test' } }
        : { key: `key ${offset}`, value: (await serializer.serialize(topic, userAt(offset))).bytes },
    ),
  );
  await producer.send({ topic, messages });
}

/** A consumer of `topic` from its beginning whose handler records the offsets it is given. */
async function consume(
  topic: string,
  groupId: string,
  options: Omit<SchemaConsumerOptions, 'value'> & { value?: Deserializer },
): Promise<{ consumer: SchemaConsumer; handled: Arrivals<string> }> {
  const value = options.value ?? new Deserializer({ registry: harness.registry(), formats: [avroFormat()] });
  const consumer = new SchemaConsumer(harness.consumer({ groupId }), { ...options, value });
  const handled = new Arrivals<string>();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, decoded }) => {
      expect(decoded.value).toEqual(userAt(Number(message.offset)));
      handled.push(message.offset);
    },
  });
  return { consumer, handled };
}

interface Reported {
  readonly error: SchemaWireError;
  readonly consumed: ConsumedMessage;
}

const report = (arrivals: Arrivals<Reported>) => (error: SchemaWireError, consumed: ConsumedMessage) =>
  arrivals.push({ error, consumed });

const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value);

describe('kafkajs > error policy > fail', () => {
  it('stops at the message, pauses its partition and commits nothing from it on; a restart reads it again', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'gg!gg');
    const groupId = uniqueName('group');
    const failures = new Arrivals<Reported>();
    const logs: LogLine[] = [];
    const { consumer, handled } = await consume(topic!, groupId, {
      onFailure: report(failures),
      logger: recordingLogger(logs),
    });

    const [failure] = await failures.waitFor(1);
    expect(failure!.consumed.message.offset).toBe('2');
    expect(failure!.error).toMatchObject({
      code: ErrorCode.UnknownMagicByte,
      topic,
      partition: 0,
      offset: '2',
    });
    expect(consumer.consumer.paused()).toEqual([{ topic, partitions: [0] }]);
    await consumer.disconnect();

    expect(handled.items).toEqual(['0', '1']);
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 0, deadLettered: 0, failed: 1 });
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        extra: expect.objectContaining({
          topic,
          partition: 0,
          offset: '2',
          code: ErrorCode.UnknownMagicByte,
        }),
      }),
    ]);
    expect(await harness.committed(groupId, topic!)).toEqual(['2']);

    const skips = new Arrivals<Reported>();
    const restarted = await consume(topic!, groupId, { onError: 'skip', onSkip: report(skips) });
    await restarted.handled.waitFor(2);
    await restarted.consumer.disconnect();
    expect(skips.items.map(({ consumed }) => consumed.message.offset)).toEqual(['2']);
    expect(restarted.handled.items).toEqual(['3', '4']);
  });
});

describe('kafkajs > error policy > dead letter', () => {
  it('sends the message as it came with error headers, and commits past it', async () => {
    const [topic, deadLetters] = await harness.topics(2);
    await seed(topic!, 'g!g');
    const groupId = uniqueName('group');
    const { consumer, handled } = await consume(topic!, groupId, {
      onError: { deadLetter: { topic: deadLetters!, producer } },
    });
    await handled.waitFor(2);
    await consumer.disconnect();
    expect(handled.items).toEqual(['0', '2']);
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 0, deadLettered: 1, failed: 0 });
    expect(await harness.committed(groupId, topic!)).toEqual(['3']);

    const letters = new Arrivals<KafkaMessage>();
    const reader = harness.consumer();
    await reader.connect();
    await reader.subscribe({ topics: [deadLetters!], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => letters.push(message) });
    const [letter] = await letters.waitFor(1);
    await reader.disconnect();
    expect(letter!.key).toEqual(Buffer.from('key 1'));
    expect(letter!.value).toEqual(GARBAGE);
    const headers = Object.fromEntries(
      Object.entries(letter!.headers ?? {}).map(([name, value]) => [name, text(value)]),
    );
    expect(headers).toEqual({
      origin: 'integration test',
      [DEAD_LETTER_HEADERS.code]: ErrorCode.UnknownMagicByte,
      [DEAD_LETTER_HEADERS.message]: expect.stringMatching(/^cannot find schema id: /),
      [DEAD_LETTER_HEADERS.topic]: topic,
      [DEAD_LETTER_HEADERS.partition]: '0',
      [DEAD_LETTER_HEADERS.offset]: '1',
    });
  });
});

describe('kafkajs > error policy > skip', () => {
  it('reports and counts the message, and commits past it', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'g!g');
    const groupId = uniqueName('group');
    const skips = new Arrivals<Reported>();
    const { consumer, handled } = await consume(topic!, groupId, { onError: 'skip', onSkip: report(skips) });
    await handled.waitFor(2);
    await consumer.disconnect();
    expect(handled.items).toEqual(['0', '2']);
    expect(skips.items.map(({ consumed, error }) => [consumed.message.offset, error.code])).toEqual([
      ['1', ErrorCode.UnknownMagicByte],
    ]);
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 1, deadLettered: 0, failed: 0 });
    expect(await harness.committed(groupId, topic!)).toEqual(['3']);
  });
});

describe('kafkajs > error policy > retriable errors', () => {
  it('a registry answering 503 is retried after a backoff, never skipped', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'gg');
    const proxy = await startFlakyRegistryProxy(harness.services.registryUrl, 3);
    try {
      const groupId = uniqueName('group');
      const skips = new Arrivals<Reported>();
      const logs: LogLine[] = [];
      // No retries in the registry client, so each 503 reaches the consumer.
      const registry = new ConfluentRestClient({ baseUrl: proxy.url, retries: 0 });
      const { consumer, handled } = await consume(topic!, groupId, {
        value: new Deserializer({ registry, formats: [avroFormat()] }),
        onError: 'skip',
        onSkip: report(skips),
        retry: { initialMs: 20, maxMs: 50 },
        logger: recordingLogger(logs),
      });
      await handled.waitFor(2);
      await consumer.disconnect();

      expect(handled.items).toEqual(['0', '1']);
      expect(skips.items).toEqual([]);
      expect(proxy.refused).toBe(3);
      expect(
        logs.map(({ level, extra }) => [
          level,
          extra['offset'],
          extra['code'],
          extra['attempt'],
          extra['delayMs'],
        ]),
      ).toEqual([
        ['warn', '0', ErrorCode.RegistryUnavailable, 1, 20],
        ['warn', '0', ErrorCode.RegistryUnavailable, 2, 40],
        ['warn', '0', ErrorCode.RegistryUnavailable, 3, 50],
      ]);
      expect(consumer.stats()).toEqual({ decoded: 2, skipped: 0, deadLettered: 0, failed: 0 });
      expect(await harness.committed(groupId, topic!)).toEqual(['2']);
    } finally {
      await proxy.close();
    }
  });
});

describe('kafkajs > error policy > handler errors', () => {
  it('an error of the handler is no decode error: kafkajs gets it and delivers the message again', async () => {
    const [topic] = await harness.topics(1);
    await seed(topic!, 'g');
    const skips = new Arrivals<Reported>();
    const consumer = new SchemaConsumer(harness.consumer(), {
      value: new Deserializer({ registry: harness.registry(), formats: [avroFormat()] }),
      onError: 'skip',
      onSkip: report(skips),
    });
    const deliveries = new Arrivals<string>();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic!], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        deliveries.push(message.offset);
        if (deliveries.items.length === 1) throw new Error('the handler failed');
      },
    });
    await deliveries.waitFor(2);
    await consumer.disconnect();
    expect(deliveries.items).toEqual(['0', '0']);
    expect(skips.items).toEqual([]);
    expect(consumer.stats()).toMatchObject({ skipped: 0, failed: 0 });
  });
});
