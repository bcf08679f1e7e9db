import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SchemalessSerializer } from '@schemawire/core-client';
import type { DeliveryRetry } from '@schemawire/kafkajs';
import { DeliveryError, SchemaProducer } from '@schemawire/kafkajs';
import type { Kafka, Message, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

/** What one call of the fake producer's send was given. */
interface SendCall {
  readonly partitions: number[];
  readonly values: string[];
}

/**
 * A stand-in for a kafkajs client whose producer answers each send as `answer` says: the logic under
 * test is the bookkeeping around the client, which a real cluster cannot be made to misbehave for on
 * demand (the cluster suite in integration-tests/cluster does the real thing).
 */
function fakeKafka(
  partitions: number,
  answer: (call: SendCall, attempt: number) => 'ack' | 'left-out' | Error,
): { kafka: Kafka; calls: SendCall[]; configs: ProducerConfig[]; metadataSends: string[] } {
  const calls: SendCall[] = [];
  const metadataSends: string[] = [];
  const configs: ProducerConfig[] = [];
  const attempts = new Map<number, number>();
  const producer = {
    connect: async () => {},
    disconnect: async () => {},
    send: async ({ topic, messages }: ProducerRecord): Promise<RecordMetadata[]> => {
      // A send of no message only asks for the topic's metadata, which creates a missing topic.
      if (messages.length === 0) {
        metadataSends.push(topic);
        return [];
      }
      const call = {
        partitions: [...new Set(messages.map((m: Message) => m.partition!))],
        values: messages.map((m: Message) => String(m.value)),
      };
      calls.push(call);
      const partition = call.partitions[0]!;
      const attempt = (attempts.get(partition) ?? 0) + 1;
      attempts.set(partition, attempt);
      const outcome = answer(call, attempt);
      if (outcome instanceof Error) throw outcome;
      if (outcome === 'left-out') return [];
      return [{ topicName: topic, partition, errorCode: 0, baseOffset: '0' }];
    },
  };
  const admin = {
    connect: async () => {},
    disconnect: async () => {},
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
      topics: topics.map((name) => ({
        name,
        partitions: Array.from({ length: partitions }, (_, partitionId) => ({
          partitionId,
          leader: 1,
          replicas: [1],
          isr: [1],
          partitionErrorCode: 0,
        })),
      })),
    }),
  };
  const kafka = {
    producer: (config: ProducerConfig) => {
      configs.push(config);
      return producer;
    },
    admin: () => admin,
  } as unknown as Kafka;
  return { kafka, calls, configs, metadataSends };
}

const values = (count: number) => Array.from({ length: count }, (_, n) => ({ key: `k${n}`, value: `v${n}` }));
const retriable = () =>
  Object.assign(new Error('Connection error: connect ECONNREFUSED'), { retriable: true });
const fast = { retry: { initialMs: 1, maxMs: 5 } };

describe('kafkajs > schema producer > delivery', () => {
  it('sends again the messages of a partition the broker answer left out, and only those', async () => {
    // kafkajs 2.2.4 resolves a send whose answer misses the partitions whose leader moved.
    const { kafka, calls } = fakeKafka(3, ({ partitions }, attempt) =>
      partitions[0] === 1 && attempt === 1 ? 'left-out' : 'ack',
    );
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), ...fast });
    const acks = await producer.send({ topic: 't', messages: values(30) });
    expect(acks.map((ack) => ack.partition).sort()).toEqual([0, 1, 2]);
    const again = calls.slice(3);
    expect(again).toHaveLength(1);
    expect(again[0]!.partitions).toEqual([1]);
    expect(again[0]!.values).toEqual(calls.find((call) => call.partitions[0] === 1)!.values);
  });

  it('keeps sending a partition that fails with retriable errors until it is acknowledged', async () => {
    const retries: DeliveryRetry[] = [];
    const { kafka } = fakeKafka(2, ({ partitions }, attempt) =>
      partitions[0] === 0 && attempt < 4 ? retriable() : 'ack',
    );
    const producer = new SchemaProducer(kafka, {
      value: new SchemalessSerializer('string'),
      ...fast,
      onRetry: (retry) => retries.push(retry),
    });
    await expect(producer.send({ topic: 't', messages: values(10) })).resolves.toHaveLength(2);
    expect(retries.map(({ partition, attempt }) => [partition, attempt])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });

  it('counts exactly what was and was not acknowledged when the delivery timeout passes', async () => {
    const { kafka } = fakeKafka(3, ({ partitions }) => (partitions[0] === 2 ? retriable() : 'ack'));
    const producer = new SchemaProducer(kafka, {
      value: new SchemalessSerializer('string'),
      deliveryTimeoutMs: 50,
      retry: { initialMs: 10, maxMs: 10 },
    });
    const messages = values(40);
    const error = await producer.send({ topic: 't', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    const failure = error as DeliveryError;
    expect(failure.code).toBe(ErrorCode.NotDelivered);
    expect(failure.delivered + failure.undelivered.length).toBe(40);
    expect(failure.undelivered.length).toBeGreaterThan(0);
    expect(failure.message).toMatch(
      new RegExp(
        `^cannot send ${failure.undelivered.length} of 40 messages \\("t" partition 2\\): Connection error`,
      ),
    );
    // The positions are those of the messages that went to partition 2, in order.
    const { kafka: again, calls } = fakeKafka(3, () => 'ack');
    await new SchemaProducer(again, { value: new SchemalessSerializer('string') }).send({
      topic: 't',
      messages,
    });
    const toTwo = calls.find((call) => call.partitions[0] === 2)!.values;
    expect(failure.undelivered.map((position) => `v${position}`)).toEqual(toTwo);
  });

  it('does not send again after an error that is not retriable', async () => {
    const fatal = Object.assign(new Error('Broker: Message size too large'), { retriable: false });
    const { kafka, calls } = fakeKafka(1, () => fatal);
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), ...fast });
    await expect(producer.send({ topic: 't', messages: values(3) })).rejects.toMatchObject({
      code: ErrorCode.NotDelivered,
      delivered: 0,
      undelivered: [0, 1, 2],
    });
    expect(calls).toHaveLength(1);
  });

  it('treats kafkajs giving up its own retries as retriable', async () => {
    const exhausted = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      retriable: false,
    });
    const { kafka, calls } = fakeKafka(1, (_, attempt) => (attempt === 1 ? exhausted : 'ack'));
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), ...fast });
    await expect(producer.send({ topic: 't', messages: values(3) })).resolves.toHaveLength(1);
    expect(calls).toHaveLength(2);
  });
});

describe('kafkajs > schema producer > order', () => {
  it('keeps concurrent sends to a partition in order, though the first one has to be sent again', async () => {
    const { kafka, calls } = fakeKafka(1, ({ values: sent }, attempt) =>
      sent[0] === 'first' && attempt === 1 ? retriable() : 'ack',
    );
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), ...fast });
    await Promise.all([
      producer.send({ topic: 't', messages: [{ value: 'first' }] }),
      producer.send({ topic: 't', messages: [{ value: 'second' }] }),
    ]);
    // The second send waits for the first one's re-send: the partition gets them in the order sent.
    expect(calls.map((call) => call.values[0])).toEqual(['first', 'first', 'second']);
  });
});

describe('kafkajs > schema producer > partitions', () => {
  it('asks for a topic the way a send does before reading its partitions, once, so a broker may create it', async () => {
    const { kafka, metadataSends } = fakeKafka(2, () => 'ack');
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string') });
    await producer.send({ topic: 'new', messages: [{ value: 'a' }] });
    await producer.send({ topic: 'new', messages: [{ value: 'b' }] });
    expect(metadataSends).toEqual(['new']);
  });

  it('puts a keyed message where the Java client would (murmur2), the same on every send', async () => {
    const { kafka, calls } = fakeKafka(6, () => 'ack');
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string') });
    // Kafka's murmur2 of "abc" is 479470107 (its UtilsTest vector): 479470107 % 6 = 3.
    await producer.send({ topic: 't', messages: [{ key: 'abc', value: 'a' }] });
    await producer.send({ topic: 't', messages: [{ key: 'abc', value: 'b' }] });
    expect(calls.map((call) => call.partitions)).toEqual([[3], [3]]);
  });

  it('keeps a partition the message names', async () => {
    const { kafka, calls } = fakeKafka(6, () => 'ack');
    const producer = new SchemaProducer(kafka, { value: new SchemalessSerializer('string') });
    await producer.send({ topic: 't', messages: [{ value: 'a', partition: 4 }] });
    expect(calls[0]!.partitions).toEqual([4]);
  });
});

describe('kafkajs > schema producer > options', () => {
  it('is idempotent with acks -1 by default, and not with acks 1', () => {
    const { kafka, configs } = fakeKafka(1, () => 'ack');
    new SchemaProducer(kafka, { value: new SchemalessSerializer('string') });
    new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), acks: 1 });
    expect(configs.map((config) => config.idempotent)).toEqual([true, false]);
  });

  it.each([
    [{ acks: 1 as const, producer: { idempotent: true } }, /an idempotent producer needs acks -1, not 1/],
    [{ acks: 2 as unknown as 1 }, /acks must be -1, 0 or 1, not 2/],
    [{ deliveryTimeoutMs: -1 }, /deliveryTimeoutMs must be a number of milliseconds, not -1/],
  ])('refuses %j', (options, message) => {
    const { kafka } = fakeKafka(1, () => 'ack');
    expect(
      () => new SchemaProducer(kafka, { value: new SchemalessSerializer('string'), ...options }),
    ).toThrow(message);
  });
});
