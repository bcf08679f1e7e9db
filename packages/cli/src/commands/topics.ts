import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { kafkaError } from '@schemawire/kafkajs';
import type { Admin, ITopicConfig } from 'kafkajs';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, parsePositiveInteger, UsageError } from '../command.js';
import { didYouMean } from '../did-you-mean.js';
import type { KafkaOptions } from '../kafka-option.js';
import { openKafka } from '../kafka-option.js';
import { jsonLine } from '../printable-json.js';

/** `schemawire topics`: lists the cluster's topics. */
export const topicsCommand: Command = {
  name: 'topics',
  summary: 'list the topics of the cluster, with partitions and replication',
  help: `Usage: schemawire topics

Prints {"topic","partitions","replicationFactor"} for each topic, sorted by name.

${globalHelp}

Example:
  schemawire topics --brokers localhost:9092`,
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, {});
    if (positionals.length > 0) throw new UsageError('cannot list topics: it takes no arguments');
    return withAdmin(values, io, 'cannot list topics', async (admin) => {
      const names = (await admin.listTopics()).sort();
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      for (const { name, partitions } of topics.sort((a, b) => a.name.localeCompare(b.name))) {
        const replicationFactor = Math.max(0, ...partitions.map((partition) => partition.replicas.length));
        writeLine(io.stdout, jsonLine({ topic: name, partitions: partitions.length, replicationFactor }));
      }
      return 0;
    });
  },
};

const topicOptions = {
  partitions: { type: 'string' },
  'replication-factor': { type: 'string' },
  config: { type: 'string', multiple: true },
} as const;

const ACTIONS = ['create', 'describe', 'delete'] as const;

/** `schemawire topic`: creates, describes or deletes one topic. */
export const topicCommand: Command = {
  name: 'topic',
  summary: 'create, describe or delete a topic',
  help: `Usage: schemawire topic create <name> [--partitions N] [--replication-factor R] [--config key=value]...
       schemawire topic describe <name>
       schemawire topic delete <name>

create makes the topic and prints {"topic","partitions","replicationFactor","created":true}; a topic
that exists already is an error (exit 1). Without --partitions or --replication-factor the broker's
defaults apply.
describe prints {"topic","partition","leader","replicas","isr","earliestOffset","endOffset"} for each
partition: the broker ids of its leader, replicas and in-sync replicas, and its first and next offsets.
delete deletes the topic and prints {"topic","deleted":true}.

Options:
  --partitions <N>        partitions of a new topic
  --replication-factor <R>  replicas of each partition of a new topic
  --config <key=value>    a topic setting of a new topic, e.g. retention.ms=86400000 (repeatable)

${globalHelp}

Example:
  schemawire topic create orders --partitions 3 --replication-factor 1 --config cleanup.policy=compact`,
  run: async (argv, io) => {
    const { values, positionals } = parseCommandArgs(argv, topicOptions);
    const [action, name, ...more] = positionals;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
      const given =
        action === undefined ? '' : `, got ${JSON.stringify(action)}${didYouMean(action, ACTIONS)}`;
      throw new UsageError(`cannot run topic: say create, describe or delete${given}`);
    }
    if (name === undefined || more.length > 0) throw new UsageError(`cannot ${action} topic: name one topic`);
    if (action !== 'create') {
      const given = Object.keys(topicOptions).find((option) => option in values);
      if (given !== undefined) throw new UsageError(`cannot ${action} topic: --${given} is for create`);
    }
    const what = `cannot ${action} topic ${JSON.stringify(name)}`;
    // Checked before connecting, so a mistake in them is a usage error whether or not Kafka is up.
    const spec = action === 'create' ? topicSpec(name, values) : undefined;
    return withAdmin(values, io, what, async (admin) => {
      if (spec !== undefined) return createTopic(admin, spec, what, io);
      await requireTopic(admin, name, what);
      if (action === 'describe') return describeTopic(admin, name, io);
      await admin.deleteTopics({ topics: [name] });
      writeLine(io.stdout, jsonLine({ topic: name, deleted: true }));
      return 0;
    });
  },
};

// The topic create asks for; -1 leaves partitions or replication to the broker's defaults.
function topicSpec(
  topic: string,
  values: {
    readonly partitions?: string | undefined;
    readonly 'replication-factor'?: string | undefined;
    readonly config?: readonly string[] | undefined;
  },
): ITopicConfig {
  const numPartitions =
    values.partitions === undefined ? -1 : parsePositiveInteger('partitions', values.partitions);
  const replicationFactor =
    values['replication-factor'] === undefined
      ? -1
      : parsePositiveInteger('replication-factor', values['replication-factor']);
  return {
    topic,
    numPartitions,
    replicationFactor,
    configEntries: (values.config ?? []).map(parseConfigEntry),
  };
}

async function createTopic(admin: Admin, spec: ITopicConfig, what: string, io: CliIo): Promise<number> {
  const { topic } = spec;
  const created = await admin.createTopics({ topics: [spec], waitForLeaders: true });
  if (!created) {
    throw new SchemaWireError(ErrorCode.Kafka, `${what}: it exists already`, { topic, retriable: false });
  }
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  const partitions = metadata?.partitions ?? [];
  writeLine(
    io.stdout,
    jsonLine({
      topic,
      partitions: partitions.length,
      replicationFactor: Math.max(0, ...partitions.map((partition) => partition.replicas.length)),
      created: true,
    }),
  );
  return 0;
}

async function describeTopic(admin: Admin, topic: string, io: CliIo): Promise<number> {
  const [{ topics }, offsets] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [topic] }),
    admin.fetchTopicOffsets(topic),
  ]);
  const partitions = [...(topics[0]?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId);
  for (const { partitionId, leader, replicas, isr } of partitions) {
    const offset = offsets.find((entry) => entry.partition === partitionId);
    writeLine(
      io.stdout,
      jsonLine({
        topic,
        partition: partitionId,
        leader,
        replicas,
        isr,
        earliestOffset: offset?.low ?? null,
        endOffset: offset?.high ?? null,
      }),
    );
  }
  return 0;
}

// kafkajs answers a missing topic with a retried metadata error; the names on hand make a clearer one.
async function requireTopic(admin: Admin, topic: string, what: string): Promise<void> {
  const topics = await admin.listTopics();
  if (topics.includes(topic)) return;
  throw new SchemaWireError(ErrorCode.Kafka, `${what}: no such topic${didYouMean(topic, topics)}`, {
    topic,
    retriable: false,
  });
}

function parseConfigEntry(text: string): { name: string; value: string } {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new UsageError(
      `cannot parse arguments: --config must look like key=value, got ${JSON.stringify(text)}`,
    );
  }
  return { name: text.slice(0, equals), value: text.slice(equals + 1) };
}

// Connects an admin client, runs `action` with it and disconnects; a failure to connect names the
// brokers, any other Kafka failure starts with `what`.
async function withAdmin(
  options: KafkaOptions,
  io: CliIo,
  what: string,
  action: (admin: Admin) => Promise<number>,
): Promise<number> {
  const { kafka, connectError, checkTls } = openKafka(options, io, what);
  const admin = kafka.admin();
  try {
    await checkTls();
    await admin.connect();
  } catch (error) {
    throw connectError(error);
  }
  try {
    return await action(admin);
  } catch (error) {
    if (error instanceof SchemaWireError || error instanceof UsageError) throw error;
    throw kafkaError(what, error);
  } finally {
    await admin.disconnect();
  }
}
