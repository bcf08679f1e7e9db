import { describe, expect, it } from '@jest/globals';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { SchemaConsumerOptions } from '@schemawire/kafkajs';
import { SchemaConsumer } from '@schemawire/kafkajs';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Consumer, ConsumerRunConfig, EachBatchPayload, KafkaMessage } from 'kafkajs';

// The batch logic of SchemaConsumer, driven by a stand-in for kafkajs's consumer; what kafkajs and a
// real broker make of the offsets resolved is checked by the integration suites.

const formats = [avroFormat()];
const schema = {
  schemaType: 'AVRO',
  schema: '{"type":"record","name":"Tick","fields":[{"name":"n","type":"int"}]}',
} as const;

/** A kafkajs consumer that runs one batch through the handler it is given, and records what it is told. */
class BatchConsumer {
  readonly resolved: string[] = [];
  /** What the batch's pause and resume functions were called for, in order. */
  readonly pauses: ('pause' | 'resume')[] = [];
  config: ConsumerRunConfig | undefined;
  readonly #paused = new Set<string>();
  #handler: ConsumerRunConfig['eachBatch'];

  run = async (config: ConsumerRunConfig): Promise<void> => {
    this.config = config;
    this.#handler = config.eachBatch;
  };
  describeGroup = async () => ({});
  pause = (topics: { topic: string; partitions?: number[] }[]): void => {
    for (const { topic } of topics) this.#paused.add(topic);
  };
  paused = () => [...this.#paused].map((topic) => ({ topic, partitions: [0] }));
  logger = () => ({ info() {}, warn() {}, error() {}, debug() {} });

  async deliver(messages: KafkaMessage[]): Promise<void> {
    const payload = {
      batch: { topic: 'ticks', partition: 0, messages },
      resolveOffset: (offset: string) => this.resolved.push(offset),
      heartbeat: async () => {},
      commitOffsetsIfNecessary: async () => {},
      isRunning: () => true,
      isStale: () => false,
      pause: () => {
        this.pauses.push('pause');
        return () => void this.pauses.push('resume');
      },
    };
    await this.#handler!(payload as unknown as EachBatchPayload);
  }
}

async function setup(options: Omit<SchemaConsumerOptions, 'value'>, gate?: Promise<void>) {
  const registry = new EmbeddedRegistry({ formats });
  const serializer = new Serializer({ registry, formats, schema });
  await serializer.prepare('ticks');
  const message = (offset: number, value: Buffer | string): KafkaMessage => ({
    key: null,
    value: Buffer.from(value),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {},
  });
  const tick = (offset: number) => message(offset, serializer.serializeSync('ticks', { n: offset }).bytes!);
  const kafka = new BatchConsumer();
  const consumer = new SchemaConsumer(kafka as unknown as Consumer, {
    value: new Deserializer({ registry: gate === undefined ? registry : gated(registry, gate), formats }),
    ...options,
  });
  return { kafka, consumer, tick, garbage: (offset: number) => message(offset, 'garbage') };
}

/** The registry, answering no call before `gate` opens: a registry that stalls. */
function gated(registry: EmbeddedRegistry, gate: Promise<void>): EmbeddedRegistry {
  return new Proxy(registry, {
    get(target, name, receiver) {
      const member = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      return async (...args: unknown[]) => {
        await gate;
        return member.apply(target, args);
      };
    },
  });
}

describe('kafkajs > schema consumer > commits', () => {
  it('commits every second or every 1000 handled messages unless told otherwise', async () => {
    const { kafka, consumer } = await setup({});
    await consumer.run({ eachMessage: async () => {} });
    expect(kafka.config).toMatchObject({ autoCommitInterval: 1000, autoCommitThreshold: 1000 });
    const other = await setup({});
    await other.consumer.run({ eachMessage: async () => {}, autoCommitInterval: 5000 });
    expect(other.kafka.config).toMatchObject({ autoCommitInterval: 5000, autoCommitThreshold: 1000 });
  });
});

describe('kafkajs > schema consumer > registry stall', () => {
  it('pauses the partition and returns when a schema takes longer than fetchWaitMs, and resumes once it came', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { kafka, consumer, tick } = await setup({ fetchWaitMs: 20 }, gate);
    const seen: unknown[] = [];
    await consumer.run({ eachMessage: async ({ decoded }) => void seen.push(decoded.value) });
    const started = Date.now();
    await kafka.deliver([tick(0), tick(1)]);
    // The handler returned without waiting for the registry, so kafkajs can heartbeat.
    expect(Date.now() - started).toBeLessThan(1000);
    expect({ seen, resolved: kafka.resolved, pauses: kafka.pauses }).toEqual({
      seen: [],
      resolved: [],
      pauses: ['pause'],
    });
    open();
    await gate;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(kafka.pauses).toEqual(['pause', 'resume']);
    // Read again, the messages decode from the cache.
    await kafka.deliver([tick(0), tick(1)]);
    expect(seen).toEqual([{ n: 0 }, { n: 1 }]);
    expect(kafka.resolved).toEqual(['0', '1']);
  });
});

describe('kafkajs > schema consumer > eachMessage', () => {
  it('resolves each message once it is handled or skipped', async () => {
    const { kafka, consumer, tick, garbage } = await setup({ onError: 'skip' });
    const seen: unknown[] = [];
    await consumer.run({ eachMessage: async ({ decoded }) => void seen.push(decoded.value) });
    await kafka.deliver([tick(0), garbage(1), tick(2)]);
    expect(seen).toEqual([{ n: 0 }, { n: 2 }]);
    expect(kafka.resolved).toEqual(['0', '1', '2']);
  });

  it('takes no more of the batch once the partition is paused as a message is skipped', async () => {
    const { kafka, consumer, tick, garbage } = await setup({
      onError: 'skip',
      onSkip: () => consumer.pause([{ topic: 'ticks' }]),
    });
    const seen: unknown[] = [];
    await consumer.run({ eachMessage: async ({ decoded }) => void seen.push(decoded.value) });
    await kafka.deliver([tick(0), garbage(1), tick(2)]);
    expect(seen).toEqual([{ n: 0 }]);
    // Offset 2 is neither handled nor resolved: the group reads it next.
    expect(kafka.resolved).toEqual(['0', '1']);
  });

  it('takes no more of the batch once the handler pauses the partition', async () => {
    const { kafka, consumer, tick } = await setup({});
    await consumer.run({ eachMessage: async ({ pause }) => void pause() });
    await kafka.deliver([tick(0), tick(1)]);
    expect(kafka.resolved).toEqual(['0']);
  });
});

describe('kafkajs > schema consumer > deserializer', () => {
  it("hands the deserializer each message with its topic and partition, for a topic's local schema", async () => {
    const kafka = new BatchConsumer();
    const asked: (string | undefined)[] = [];
    const consumer = new SchemaConsumer(kafka as unknown as Consumer, {
      value: new Deserializer({
        registry: new EmbeddedRegistry({ formats }),
        formats,
        fallback: 'string',
        schemaless: (topic) => void asked.push(topic),
      }),
    });
    const seen: unknown[] = [];
    await consumer.run({ eachMessage: async ({ decoded }) => void seen.push(decoded.value) });
    const plain = {
      key: null,
      value: Buffer.from('plain'),
      offset: '0',
      timestamp: '0',
      attributes: 0,
      headers: {},
    };
    await kafka.deliver([plain]);
    expect(asked).toEqual(['ticks']);
    expect(seen).toEqual(['plain']);
    expect(kafka.resolved).toEqual(['0']);
  });
});
