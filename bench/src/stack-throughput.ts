import { randomUUID } from 'node:crypto';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { SchemaMessage } from '@schemawire/kafkajs';
import { SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Stack } from '@schemawire/testcontainers';
import { startStack } from '@schemawire/testcontainers';
import avsc from 'avsc';
import type { Admin, Consumer, Kafka, Message, Producer } from 'kafkajs';
import { Kafka as KafkaClient, logLevel } from 'kafkajs';
import { benchAvroSchema, benchRecord } from './bench-record.js';
import { ratio } from './report.js';

/** The real-stack scenario of issue 7. */
export const STACK = { messages: 100_000, batchSize: 1_000, rounds: 5, target: 0.85 } as const;

/** One run: every message produced, then every message consumed. */
export interface StackRun {
  /** From the first send to the last acknowledged. */
  readonly produceMs: number;
  /** From the first batch read to the last message read (and, with serdes, decoded). */
  readonly consumeMs: number;
  /** Messages per second over both phases. */
  readonly messagesPerSec: number;
}

/** The best run of each mode. */
export interface StackReport {
  readonly messages: number;
  readonly serdes: StackRun;
  readonly preEncoded: StackRun;
  /** avsc alone encoding and decoding in the loop: no registry, no framing, no error policy. */
  readonly rawCodec: StackRun;
  /** Serdes throughput divided by pre-encoded throughput. */
  readonly ratio: number;
  /** Raw codec throughput divided by pre-encoded throughput: what any serde layer over avsc can reach. */
  readonly codecRatio: number;
  readonly target: number;
}

type Mode = 'serdes' | 'pre-encoded' | 'raw-codec';
const MODES: readonly Mode[] = ['pre-encoded', 'serdes', 'raw-codec'];

/**
 * Produces, then consumes, 100,000 Avro messages through a real Kafka broker and registry (started
 * with Docker by @schemawire/testcontainers) in three modes: with SchemaProducer and SchemaConsumer;
 * with the same values encoded beforehand and sent and read as plain bytes; and with avsc alone
 * encoding before each send and decoding each message read, which is the most any serde layer over
 * avsc can reach. Batches of 1,000 are sent one after another; consuming is timed from the first batch
 * read, so the group join, which every mode waits for alike, is left out. Each mode runs five times
 * after a warm-up, in turn, on a fresh topic each time; the fastest run of each counts.
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
    // Idempotent with acks -1, as SchemaProducer is by default: the modes differ only in the encoding.
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      const bench = await prepare(stack, kafka, admin, producer);
      try {
        for (const mode of MODES) await bench.run(mode, STACK.messages / 10);
        const runs: Record<Mode, StackRun[]> = { serdes: [], 'pre-encoded': [], 'raw-codec': [] };
        for (let round = 0; round < STACK.rounds; round++) {
          for (const mode of MODES) {
            log(`stack: ${mode} run ${round + 1} of ${STACK.rounds}`);
            runs[mode].push(await bench.run(mode, STACK.messages));
          }
        }
        const best = (mode: Mode) =>
          runs[mode].reduce((a, b) => (b.messagesPerSec > a.messagesPerSec ? b : a));
        const serdes = best('serdes');
        const preEncoded = best('pre-encoded');
        const rawCodec = best('raw-codec');
        const ofPreEncoded = (run: StackRun) => ratio(run.messagesPerSec, preEncoded.messagesPerSec);
        return {
          messages: STACK.messages,
          serdes,
          preEncoded,
          rawCodec,
          ratio: ofPreEncoded(serdes),
          codecRatio: ofPreEncoded(rawCodec),
          target: STACK.target,
        };
      } finally {
        await bench.close();
      }
    } finally {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    }
  } finally {
    await stack.stop();
  }
}

async function prepare(stack: Stack, kafka: Kafka, admin: Admin, producer: Producer) {
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
  const schemaProducer = new SchemaProducer(kafka, {
    value: serializer,
    producer: { allowAutoTopicCreation: false },
  });
  await schemaProducer.connect();
  // Messages are built before any timing, in both modes; only the encoding differs.
  const values: SchemaMessage[] = Array.from({ length: STACK.messages }, (_, n) => ({
    value: { ...benchRecord, id: n },
  }));
  const encoded: Message[] = values.map(({ value }) => ({
    value: serializer.serializeSync('bench-stack', value).bytes,
  }));
  // A record name of its own (see benchAvroSchema).
  const avroType = avsc.Type.forSchema(JSON.parse(benchAvroSchema('Raw')) as avsc.Schema);

  const run = async (mode: Mode, count: number): Promise<StackRun> => {
    const topic = `bench-stack-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const started = performance.now();
    for (let start = 0; start < count; start += STACK.batchSize) {
      const end = Math.min(start + STACK.batchSize, count);
      if (mode === 'serdes') {
        await schemaProducer.send({ topic, messages: values.slice(start, end) });
      } else if (mode === 'raw-codec') {
        const messages = values.slice(start, end).map(({ value }) => ({ value: avroType.toBuffer(value) }));
        await producer.send({ topic, messages });
      } else {
        await producer.send({ topic, messages: encoded.slice(start, end) });
      }
    }
    const produceMs = performance.now() - started;
    // The topic stays until the stack stops: the producer keeps it among the topics whose metadata it
    // refreshes, and would fail on a deleted one.
    const consumeMs = await consume(kafka, topic, mode, count, deserializer, avroType);
    return {
      produceMs: Math.round(produceMs),
      consumeMs: Math.round(consumeMs),
      messagesPerSec: Math.round(count / ((produceMs + consumeMs) / 1000)),
    };
  };
  return { run, close: () => schemaProducer.disconnect() };
}

/**
 * Reads `count` messages from the start of `topic` with a consumer of a new group; returns the time
 * from the first batch to the last message. Where messages are decoded, the ids read must add up to
 * those written.
 */
async function consume(
  kafka: Kafka,
  topic: string,
  mode: Mode,
  count: number,
  deserializer: Deserializer,
  avroType: avsc.Type,
): Promise<number> {
  const consumer: Consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  let seen = 0;
  let idSum = 0;
  let firstBatchAt: number | undefined;
  let settle!: { resolve: (ms: number) => void; reject: (error: Error) => void };
  const finished = new Promise<number>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Timed from kafkajs's first batch, before SchemaConsumer decodes it: the whole decoding counts.
  consumer.on(consumer.events.START_BATCH_PROCESS, () => {
    firstBatchAt ??= performance.now();
  });
  const arrived = (n: number) => {
    seen += n;
    if (seen < count) return;
    if (mode !== 'pre-encoded' && idSum !== (count * (count - 1)) / 2) {
      settle.reject(new Error(`the ids read add up to ${idSum}, not to those of messages 0 to ${count - 1}`));
    }
    settle.resolve(performance.now() - firstBatchAt!);
  };
  const timer = setTimeout(
    () => settle.reject(new Error(`only ${seen} of ${count} messages were read`)),
    120_000,
  );
  try {
    if (mode === 'serdes') {
      const schemaConsumer = new SchemaConsumer(consumer, { value: deserializer });
      await schemaConsumer.connect();
      await schemaConsumer.subscribe({ topics: [topic], fromBeginning: true });
      await schemaConsumer.run({
        eachBatch: async ({ decodedMessages }) => {
          for (const { decoded } of decodedMessages) idSum += (decoded.value as { id: number }).id;
          arrived(decodedMessages.length);
        },
      });
    } else {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          if (mode === 'raw-codec') {
            for (const message of batch.messages) {
              idSum += (avroType.fromBuffer(message.value!) as { id: number }).id;
            }
          }
          arrived(batch.messages.length);
        },
      });
    }
    return await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/** The stack result as a few lines of markdown. */
export function stackSummary(report: StackReport): string {
  const line = (name: string, run: StackRun) =>
    `  - ${name}: ${run.messagesPerSec.toLocaleString('en')} messages/s (produced in ${run.produceMs} ms, then consumed in ${run.consumeMs} ms)`;
  return [
    `- Through a real Kafka and registry: ${report.messages.toLocaleString('en')} Avro messages produced, then consumed:`,
    line('schemawire serdes', report.serdes),
    line('pre-encoded bytes', report.preEncoded),
    line('avsc alone, encoding and decoding in the loop', report.rawCodec),
    `  - serdes throughput is ${report.ratio}× that of pre-encoded bytes (target ≥ ${report.target}×): ${report.ratio >= report.target ? 'met' : 'missed'}`,
    `  - avsc alone reaches ${report.codecRatio}× of pre-encoded bytes; serdes reaches ${ratio(report.serdes.messagesPerSec, report.rawCodec.messagesPerSec)}× of avsc alone`,
  ].join('\n');
}
