import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SchemaWireError } from '@schemawire/core-client';
import { Deserializer, ErrorCode, Serializer } from '@schemawire/core-client';
import type { ConsumedMessage, SchemaConsumerOptions } from '@schemawire/platformatic-kafka';
import { DEAD_LETTER_HEADERS } from '@schemawire/platformatic-kafka';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { KafkaMessage, Producer } from 'kafkajs';
import { startFlakyRegistryProxy } from '../kafkajs/flaky-registry-proxy.js';
import type { LogLine } from '../support/kafka-harness.js';
import { Arrivals, avroRecord, KafkaHarness, recordingLogger, uniqueName } from '../support/kafka-harness.js';
import { PlatformaticHarness } from './platformatic-harness.js';

const user = avroRecord('User', [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
]);
const GARBAGE = Buffer.from('garbage');

const kafka = new KafkaHarness();
const platformatic = new PlatformaticHarness();
let producer: Producer;

beforeAll(async () => {
  await kafka.start();
  producer = await kafka.producer();
});

afterAll(async () => {
  await platformatic.close();
  await kafka.close();
});

/** The value written at `offset` by {@link seed}. */
const userAt = (offset: number) => ({ name: `user ${offset}`, age: offset });

/**
 * Writes, with kafkajs, one message per character of `layout`: `g` a good message (the {@link userAt}
 * its offset), `!` one that no deserializer can decode, with a header of its own.
 */
async function seed(topic: string, layout: string): Promise<void> {
  const serializer = new Serializer({ registry: kafka.registry(), formats: [avroFormat()], schema: user });
  const messages = await Promise.all(
    [...layout].map(async (kind, offset) =>
      kind === '!'
        ? { key: `key ${offset}`, value: GARBAGE, headers: { origin: 'integration test' } }
        : { key: `key ${offset}`, value: (await serializer.serialize(topic, userAt(offset))).bytes },
    ),
  );
  await producer.send({ topic, messages });
}

/** A consumer of `topic` whose handler checks each value and records the offsets it is given. */
async function consume(
  topic: string,
  groupId: string,
  options: Omit<SchemaConsumerOptions, 'value'> & { value?: Deserializer },
) {
  const value = options.value ?? new Deserializer({ registry: kafka.registry(), formats: [avroFormat()] });
  const { consumer, arrivals } = await platformatic.consume(topic, { ...options, value }, groupId);
  const handled = {
    async waitFor(count: number, timeoutMs?: number) {
      const items = await arrivals.waitFor(count, timeoutMs);
      return items.map(({ message, decoded }) => {
        expect(decoded.value).toEqual(userAt(Number(message.offset)));
        return String(message.offset);
      });
    },
  };
  return { consumer, handled, arrivals };
}

interface Reported {
  readonly error: SchemaWireError;
  readonly consumed: ConsumedMessage;
}

const report = (arrivals: Arrivals<Reported>) => (error: SchemaWireError, consumed: ConsumedMessage) =>
  arrivals.push({ error, consumed });

const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value);

describe('platformatic-kafka > error policy > fail', () => {
  it('stops at the message and commits nothing from it on; a restart reads it again', async () => {
    const [topic] = await kafka.topics(1);
    await seed(topic!, 'gg!gg');
    const groupId = uniqueName('group');
    const failures = new Arrivals<Reported>();
    const logs: LogLine[] = [];
    const { consumer, arrivals } = await consume(topic!, groupId, {
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
    // Closed, not only stopped: a member left in the group would keep the partition from the restart.
    await consumer.close();

    expect(arrivals.items.map(({ message }) => String(message.offset))).toEqual(['0', '1']);
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
    expect(await kafka.committed(groupId, topic!)).toEqual(['2']);

    const skips = new Arrivals<Reported>();
    const restarted = await consume(topic!, groupId, { onError: 'skip', onSkip: report(skips) });
    expect(await restarted.handled.waitFor(2, 40_000)).toEqual(['3', '4']);
    await restarted.consumer.stop();
    expect(skips.items.map(({ consumed }) => consumed.message.offset)).toEqual(['2']);
    expect(await kafka.committed(groupId, topic!)).toEqual(['5']);
  });
});

describe('platformatic-kafka > error policy > dead letter', () => {
  it('sends the message as it came with error headers, and commits past it', async () => {
    const [topic, deadLetters] = await kafka.topics(2);
    await seed(topic!, 'g!g');
    const groupId = uniqueName('group');
    const { consumer, handled } = await consume(topic!, groupId, {
      onError: { deadLetter: { topic: deadLetters!, producer: platformatic.producer() } },
    });
    expect(await handled.waitFor(2)).toEqual(['0', '2']);
    await consumer.stop();
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 0, deadLettered: 1, failed: 0 });
    expect(await kafka.committed(groupId, topic!)).toEqual(['3']);

    const letters = new Arrivals<KafkaMessage>();
    const reader = kafka.consumer();
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

describe('platformatic-kafka > error policy > skip', () => {
  it('reports and counts the message, and commits past it', async () => {
    const [topic] = await kafka.topics(1);
    await seed(topic!, 'g!g');
    const groupId = uniqueName('group');
    const skips = new Arrivals<Reported>();
    const { consumer, handled } = await consume(topic!, groupId, { onError: 'skip', onSkip: report(skips) });
    expect(await handled.waitFor(2)).toEqual(['0', '2']);
    await consumer.stop();
    expect(skips.items.map(({ consumed, error }) => [consumed.message.offset, error.code])).toEqual([
      ['1', ErrorCode.UnknownMagicByte],
    ]);
    expect(consumer.stats()).toEqual({ decoded: 2, skipped: 1, deadLettered: 0, failed: 0 });
    expect(await kafka.committed(groupId, topic!)).toEqual(['3']);
  });
});

describe('platformatic-kafka > error policy > retriable errors', () => {
  it('a registry answering 503 is retried after a backoff, never skipped', async () => {
    const [topic] = await kafka.topics(1);
    await seed(topic!, 'gg');
    const proxy = await startFlakyRegistryProxy(kafka.services.registryUrl, 3);
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
      expect(await handled.waitFor(2)).toEqual(['0', '1']);
      await consumer.stop();
      expect(skips.items).toEqual([]);
      expect(consumer.stats()).toEqual({ decoded: 2, skipped: 0, deadLettered: 0, failed: 0 });
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
      expect(await kafka.committed(groupId, topic!)).toEqual(['2']);
    } finally {
      await proxy.close();
    }
  });
});
