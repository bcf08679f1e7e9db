import { randomUUID } from 'node:crypto';
import type { Message as PlatformaticMessage } from '@platformatic/kafka';
import { Consumer as PlatformaticConsumer, Producer as PlatformaticProducer } from '@platformatic/kafka';
import { Deserializer, Serializer } from '@schemawire/core-client';
import {
  SchemaConsumer as KafkajsSchemaConsumer,
  SchemaProducer as KafkajsSchemaProducer,
} from '@schemawire/kafkajs';
import {
  SchemaConsumer as PlatformaticSchemaConsumer,
  SchemaProducer as PlatformaticSchemaProducer,
} from '@schemawire/platformatic-kafka';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Stack } from '@schemawire/testcontainers';
import { startStack } from '@schemawire/testcontainers';
import avsc from 'avsc';
import type { Admin, Kafka } from 'kafkajs';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import { benchAvroSchema, benchRecord } from './bench-record.js';
import type { StackCaseResult } from './report.js';
import { ratio } from './report.js';

/** The real-stack scenario: messages per run, batch size, timed rounds, and the target ratio. */
export const STACK = {
  messages: 100_000,
  batchSize: 1_000,
  rounds: Number(process.env['BENCH_STACK_ROUNDS'] ?? 5),
  target: 0.9,
} as const;

/** One run of one mode: every message produced, then every message consumed. */
export interface StackRun {
  /** From the first send to the last acknowledged. */
  readonly produceMs: number;
  /** From the first message read to the last message read (and, with serdes, decoded). */
  readonly consumeMs: number;
}

/** Messages per second of a mode: producing, consuming, and both phases one after the other. */
export interface StackRates {
  readonly produce: number;
  readonly consume: number;
  readonly endToEnd: number;
}

/** What one Kafka client reached in each mode, each phase's best run. */
export interface StackClientReport {
  readonly client: string;
  readonly serdes: StackRates;
  readonly preEncoded: StackRates;
  /** avsc alone encoding and decoding in the loop: no registry, no framing, no error policy. */
  readonly rawCodec: StackRates;
  /** Serdes rates divided by pre-encoded rates. */
  readonly ratio: StackRates;
  /** Each round's end-to-end serdes ÷ pre-encoded ratio, in the order the rounds ran. */
  readonly roundRatios: readonly number[];
}

/** Both clients' results. */
export interface StackReport {
  readonly messages: number;
  readonly target: number;
  readonly clients: readonly StackClientReport[];
}

type Mode = 'serdes' | 'pre-encoded' | 'raw-codec';
const MODES: readonly Mode[] = ['pre-encoded', 'serdes', 'raw-codec'];

/** What every client's run uses: the schema's serdes, the values and their bytes, and avsc alone. */
interface Shared {
  readonly stack: Stack;
  readonly serializer: Serializer;
  readonly deserializer: Deserializer;
  /** The values sent, built before any timing. */
  readonly values: readonly { readonly id: number }[];
  /** The same values as schemawire writes them, for the pre-encoded mode. */
  readonly encoded: readonly Buffer[];
  /** avsc alone, with a record name of its own (see benchAvroSchema). */
  readonly avroType: avsc.Type;
}

/** One Kafka client's way of producing and consuming in each mode. */
interface StackClient {
  readonly name: string;
  /** Sends messages `[0, count)` of `shared` to `topic` in batches, one after another. */
  produce(mode: Mode, topic: string, count: number): Promise<void>;
  /**
   * Reads `count` messages from the start of `topic` with a consumer of a new group, passing each
   * decoded id to `read`; resolves to the ms from the first message to the last.
   */
  consume(mode: Mode, topic: string, count: number, read: (id: number) => void): Promise<number>;
  close(): Promise<void>;
}

/**
 * Produces, then consumes, 100,000 Avro messages through a real Kafka broker and registry (started
 * with Docker by @schemawire/testcontainers) with kafkajs and with @platformatic/kafka, each in three
 * modes: with the client's SchemaProducer and SchemaConsumer; with the same values encoded
 * beforehand and sent and read as plain bytes; and with avsc alone encoding before each send and
 * decoding each message read, the most any serde layer over avsc can reach. Batches of 1,000 are sent
 * one after another; consuming is timed from the first message read, so the group join, which every
 * mode waits for alike, is left out. After a warm-up, every client runs every mode in turn, five
 * rounds, on a fresh topic each time; the fastest produce and consume of each mode count, so a
 * ratio compares runs that took turns on the same machine.
 */
export async function runStack(log: (line: string) => void): Promise<StackReport> {
  log('starting Kafka and the registry');
  const stack = await startStack();
  try {
    const kafka = new KafkaClient({
      clientId: `schemawire-bench-${randomUUID()}`,
      brokers: [...stack.brokers],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const clients: StackClient[] = [];
    try {
      const shared = await prepare(stack);
      clients.push(await kafkajsClient(kafka, shared), await platformaticClient(shared));
      const run = (client: StackClient, mode: Mode, count: number) => runOnce(admin, client, mode, count);
      for (const client of clients) for (const mode of MODES) await run(client, mode, STACK.messages / 10);
      const runs = new Map<string, StackRun[]>();
      for (let round = 0; round < STACK.rounds; round++) {
        for (const client of clients) {
          for (const mode of MODES) {
            log(`stack: ${client.name} ${mode} run ${round + 1} of ${STACK.rounds}`);
            const key = `${client.name} ${mode}`;
            runs.set(key, [...(runs.get(key) ?? []), await run(client, mode, STACK.messages)]);
          }
        }
      }
      return {
        messages: STACK.messages,
        target: STACK.target,
        clients: clients.map((client) =>
          clientReport(client.name, (mode) => runs.get(`${client.name} ${mode}`)!),
        ),
      };
    } finally {
      await Promise.allSettled([...clients.map((client) => client.close()), admin.disconnect()]);
    }
  } finally {
    await stack.stop();
  }
}

async function runOnce(admin: Admin, client: StackClient, mode: Mode, count: number): Promise<StackRun> {
  const topic = `bench-stack-${randomUUID()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const started = performance.now();
  await client.produce(mode, topic, count);
  const produceMs = performance.now() - started;
  // The topic stays until the stack stops: producers keep it among the topics whose metadata they
  // refresh, and would fail on a deleted one.
  let idSum = 0;
  const consumeMs = await client.consume(mode, topic, count, (id) => {
    idSum += id;
  });
  // Where messages are decoded, the ids read must add up to those written.
  if (mode !== 'pre-encoded' && idSum !== (count * (count - 1)) / 2) {
    throw new Error(
      `${client.name} ${mode}: the ids read add up to ${idSum}, not to those of 0 to ${count - 1}`,
    );
  }
  return { produceMs, consumeMs };
}

function clientReport(client: string, runsOf: (mode: Mode) => readonly StackRun[]): StackClientReport {
  const rates = (mode: Mode): StackRates => {
    const runs = runsOf(mode);
    const fastest = (ms: (run: StackRun) => number) => Math.min(...runs.map(ms));
    const perSec = (ms: number) => Math.round(STACK.messages / (ms / 1000));
    return {
      produce: perSec(fastest((run) => run.produceMs)),
      consume: perSec(fastest((run) => run.consumeMs)),
      endToEnd: perSec(fastest((run) => run.produceMs + run.consumeMs)),
    };
  };
  const serdes = rates('serdes');
  const preEncoded = rates('pre-encoded');
  const share = (key: keyof StackRates) => ratio(serdes[key], preEncoded[key]);
  const serdesRuns = runsOf('serdes');
  const preEncodedRuns = runsOf('pre-encoded');
  return {
    client,
    serdes,
    preEncoded,
    rawCodec: rates('raw-codec'),
    ratio: { produce: share('produce'), consume: share('consume'), endToEnd: share('endToEnd') },
    roundRatios: serdesRuns.map((run, i) => {
      const pre = preEncodedRuns[i]!;
      return ratio(pre.produceMs + pre.consumeMs, run.produceMs + run.consumeMs);
    }),
  };
}

async function prepare(stack: Stack): Promise<Shared> {
  const formats = [avroFormat()];
  // The record strategy names the subject after the record, so every run's topic shares one schema.
  const serializer = new Serializer({
    registry: stack.registry,
    formats,
    schema: { schemaType: 'AVRO', schema: benchAvroSchema() },
    subjectNameStrategy: 'record',
  });
  const { id } = await serializer.prepare('bench-stack');
  const deserializer = new Deserializer({ registry: stack.registry, formats });
  await deserializer.prepare({ kind: 'id', id });
  const values = Array.from({ length: STACK.messages }, (_, n) => ({ ...benchRecord, id: n }));
  return {
    stack,
    serializer,
    deserializer,
    values,
    encoded: values.map((value) => serializer.serializeSync('bench-stack', value).bytes!),
    avroType: avsc.Type.forSchema(JSON.parse(benchAvroSchema('Raw')) as avsc.Schema),
  };
}

/** Batches `[start, end)` of `[0, count)`, in order. */
function* batches(count: number): Generator<readonly [number, number]> {
  for (let start = 0; start < count; start += STACK.batchSize) {
    yield [start, Math.min(start + STACK.batchSize, count)];
  }
}

/** Settles once `count` messages were read, or fails after two minutes with what was read. */
class Arrivals {
  readonly done: Promise<number>;
  #seen = 0;
  #firstAt: number | undefined;
  #settle!: { resolve: (ms: number) => void; reject: (error: Error) => void };
  readonly #timer: NodeJS.Timeout;

  constructor(readonly count: number) {
    this.done = new Promise<number>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.#timer = setTimeout(
      () => this.#settle.reject(new Error(`only ${this.#seen} of ${count} messages were read`)),
      120_000,
    );
  }

  /** Marks the first message read, where timing starts. */
  first(): void {
    this.#firstAt ??= performance.now();
  }

  /** Counts `n` messages read. */
  arrived(n: number): void {
    this.#seen += n;
    if (this.#seen < this.count) return;
    clearTimeout(this.#timer);
    this.#settle.resolve(performance.now() - this.#firstAt!);
  }

  /** Fails the read. */
  fail(error: unknown): void {
    clearTimeout(this.#timer);
    this.#settle.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

async function kafkajsClient(kafka: Kafka, shared: Shared): Promise<StackClient> {
  const { values, encoded, avroType, serializer, deserializer } = shared;
  // Idempotent with acks -1, as SchemaProducer is by default: the modes differ only in the encoding.
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
  const schemaProducer = new KafkajsSchemaProducer(kafka, {
    value: serializer,
    producer: { allowAutoTopicCreation: false },
  });
  await Promise.all([producer.connect(), schemaProducer.connect()]);
  const schemaMessages = values.map((value) => ({ value }));
  const encodedMessages = encoded.map((value) => ({ value }));
  return {
    name: 'kafkajs',
    async produce(mode, topic, count) {
      for (const [start, end] of batches(count)) {
        if (mode === 'serdes') {
          await schemaProducer.send({ topic, messages: schemaMessages.slice(start, end) });
        } else if (mode === 'raw-codec') {
          const messages = values.slice(start, end).map((value) => ({ value: avroType.toBuffer(value) }));
          await producer.send({ topic, messages });
        } else {
          await producer.send({ topic, messages: encodedMessages.slice(start, end) });
        }
      }
    },
    async consume(mode, topic, count, read) {
      const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
      const arrivals = new Arrivals(count);
      // Timed from kafkajs's first batch, before SchemaConsumer decodes it: the whole decoding counts.
      consumer.on(consumer.events.START_BATCH_PROCESS, () => arrivals.first());
      try {
        if (mode === 'serdes') {
          const schemaConsumer = new KafkajsSchemaConsumer(consumer, { value: deserializer });
          await schemaConsumer.connect();
          await schemaConsumer.subscribe({ topics: [topic], fromBeginning: true });
          await schemaConsumer.run({
            eachBatch: async ({ decodedMessages }) => {
              for (const { decoded } of decodedMessages) read((decoded.value as { id: number }).id);
              arrivals.arrived(decodedMessages.length);
            },
          });
        } else {
          await consumer.connect();
          await consumer.subscribe({ topics: [topic], fromBeginning: true });
          await consumer.run({
            eachBatch: async ({ batch }) => {
              if (mode === 'raw-codec') {
                for (const message of batch.messages) {
                  read((avroType.fromBuffer(message.value!) as { id: number }).id);
                }
              }
              arrivals.arrived(batch.messages.length);
            },
          });
        }
        return await arrivals.done;
      } finally {
        await consumer.disconnect();
      }
    },
    async close() {
      await Promise.allSettled([producer.disconnect(), schemaProducer.disconnect()]);
    },
  };
}

async function platformaticClient(shared: Shared): Promise<StackClient> {
  const { stack, values, encoded, avroType, serializer, deserializer } = shared;
  const bootstrapBrokers = [...stack.brokers];
  const clientId = `schemawire-bench-${randomUUID()}`;
  // Idempotent with acks -1, as SchemaProducer is by default: the modes differ only in the encoding.
  const producer = new PlatformaticProducer({
    clientId,
    bootstrapBrokers,
    idempotent: true,
    acks: -1,
    autocreateTopics: false,
  });
  const schemaProducer = new PlatformaticSchemaProducer({
    value: serializer,
    producer: { clientId, bootstrapBrokers, autocreateTopics: false },
  });
  const newConsumer = () =>
    new PlatformaticConsumer({
      clientId,
      groupId: `bench-${randomUUID()}`,
      bootstrapBrokers,
      maxWaitTime: 100,
    });
  return {
    name: '@platformatic/kafka',
    async produce(mode, topic, count) {
      // Messages are built before timing in the serdes and pre-encoded modes: only the encoding differs.
      if (mode === 'serdes') {
        const messages = values.slice(0, count).map((value) => ({ topic, value }));
        for (const [start, end] of batches(count)) {
          await schemaProducer.send({ messages: messages.slice(start, end) });
        }
      } else if (mode === 'raw-codec') {
        for (const [start, end] of batches(count)) {
          const messages = values
            .slice(start, end)
            .map((value) => ({ topic, value: avroType.toBuffer(value) }));
          await producer.send({ messages });
        }
      } else {
        const messages = encoded.slice(0, count).map((value) => ({ topic, value }));
        for (const [start, end] of batches(count)) {
          await producer.send({ messages: messages.slice(start, end) });
        }
      }
    },
    async consume(mode, topic, count, read) {
      const arrivals = new Arrivals(count);
      const consumer = newConsumer();
      if (mode === 'serdes') {
        const schemaConsumer = new PlatformaticSchemaConsumer(consumer, {
          value: deserializer,
          onCrash: (error) => arrivals.fail(error),
        });
        await schemaConsumer.consume({
          topics: [topic],
          mode: 'earliest',
          eachMessage: ({ decoded }) => {
            arrivals.first();
            read((decoded.value as { id: number }).id);
            arrivals.arrived(1);
          },
        });
        try {
          return await arrivals.done;
        } finally {
          await schemaConsumer.close();
        }
      }
      // The client's own way of reading: its stream's data events, committing after each fetch.
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
      stream.on('error', (error) => arrivals.fail(error));
      stream.on('data', (message: PlatformaticMessage<Buffer, Buffer, Buffer, Buffer>) => {
        arrivals.first();
        if (mode === 'raw-codec') read((avroType.fromBuffer(message.value) as { id: number }).id);
        arrivals.arrived(1);
      });
      try {
        return await arrivals.done;
      } finally {
        await stream.close();
        await consumer.close();
      }
    },
    async close() {
      await Promise.allSettled([producer.close(), schemaProducer.close()]);
    },
  };
}

/** The stack result as a few lines of markdown. */
export function stackSummary(report: StackReport): string {
  const rates = (run: StackRates) =>
    `produce ${run.produce.toLocaleString('en')}/s, consume ${run.consume.toLocaleString('en')}/s, end to end ${run.endToEnd.toLocaleString('en')}/s`;
  const met = (value: number) => (value >= report.target ? 'met' : 'missed');
  return [
    `- Through a real Kafka and registry: ${report.messages.toLocaleString('en')} Avro messages produced, then consumed, each phase's best of ${STACK.rounds} runs (messages/s):`,
    ...report.clients.flatMap((client) => [
      `  - ${client.client}:`,
      `    - schemawire SchemaProducer/SchemaConsumer: ${rates(client.serdes)}`,
      `    - pre-encoded bytes: ${rates(client.preEncoded)}`,
      `    - avsc alone, encoding and decoding in the loop: ${rates(client.rawCodec)}`,
      `    - schemawire ÷ pre-encoded (target ≥ ${report.target}×): produce ${client.ratio.produce}× (${met(client.ratio.produce)}), consume ${client.ratio.consume}× (${met(client.ratio.consume)}), end to end ${client.ratio.endToEnd}× (${met(client.ratio.endToEnd)}); end to end round by round ${client.roundRatios.join(', ')}`,
    ]),
  ].join('\n');
}

/**
 * The results.json entries of the stack run: `stack-<client>-produce`, `-consume` and `-end-to-end`
 * for each client (`kafkajs`, `platformatic-kafka`).
 */
export function stackResults(report: StackReport): StackCaseResult[] {
  const phases: readonly [keyof StackRates, string][] = [
    ['produce', 'produce'],
    ['consume', 'consume'],
    ['endToEnd', 'end-to-end'],
  ];
  return report.clients.flatMap((client) =>
    phases.map(([key, phase]) => ({
      case: `stack-${client.client.replace(/^@/, '').replace('/', '-')}-${phase}`,
      opsPerSec: client.serdes[key],
      preEncodedOpsPerSec: client.preEncoded[key],
      ratioToPreEncoded: client.ratio[key],
      codecOpsPerSec: client.rawCodec[key],
    })),
  );
}
