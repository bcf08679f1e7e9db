/**
 * Durability on a real 3-broker KRaft cluster (replication factor 3, min.insync.replicas 2) with a
 * registry beside it, started by @schemawire/testcontainers: brokers are killed (SIGKILL) and started
 * again while `schemawire produce` and the SchemaProducer of each client (kafkajs, @platformatic/kafka)
 * write, a consumer group of each client's SchemaConsumers loses a member and its coordinator, and the
 * registry freezes past the group's session timeout. After each, the topic is read back in full: every
 * message reported as sent is there, once.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { FindCoordinatorKeyTypes, Admin as PlatformaticAdmin } from '@platformatic/kafka';
import { Deserializer, SchemaResolver, Serializer } from '@schemawire/core-client';
import { DeliveryError, SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import { SchemaProducer as PlatformaticSchemaProducer } from '@schemawire/platformatic-kafka';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { KafkaNode, Stack } from '@schemawire/testcontainers';
import { startStack } from '@schemawire/testcontainers';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const memberJs = fileURLToPath(new URL('./group-member.mjs', import.meta.url));
const formats = [avroFormat()];
/** The Kafka clients whose adapters the suite runs, as group-member.mjs names them. */
const clients = ['kafkajs', 'platformatic-kafka'] as const;
type Client = (typeof clients)[number];

jest.setTimeout(240_000);

let stack: Stack;
let kafka: Kafka;
let admin: Admin;
const subject = `cluster-user-${randomUUID()}`;

beforeAll(async () => {
  stack = await startStack({ brokers: 3 });
  kafka = new Kafka({
    clientId: `cluster-it-${randomUUID()}`,
    brokers: [...stack.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, maxRetryTime: 10_000 },
  });
  admin = kafka.admin();
  await admin.connect();
  const schema = await readFile(fileURLToPath(new URL('../../schemas/user.avsc', import.meta.url)), 'utf8');
  await stack.registry.register(subject, { schemaType: 'AVRO', schema });
}, 300_000);

afterAll(async () => {
  await admin?.disconnect();
  await stack?.stop();
}, 120_000);

/** A user record whose first name numbers it. */
const user = (n: number) => ({ first_name: `m${n}`, last_name: 'x', age: n });

/** A new topic of 6 partitions, each on all 3 brokers, once every partition has a leader. */
async function createTopic(partitions = 6): Promise<string> {
  const topic = `cluster-${randomUUID()}`;
  // kafkajs's own wait for the leaders fails on a broker that just came back and does not know the
  // topic yet; this one asks until one answers with leaders.
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }],
    waitForLeaders: false,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const led = await admin
      .fetchTopicMetadata({ topics: [topic] })
      .then(({ topics }) => topics[0]?.partitions.filter((p) => p.leader >= 0).length ?? 0)
      .catch(() => 0);
    if (led === partitions) return topic;
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 60 s`);
    await sleep(200);
  }
}

/** A client's SchemaProducer of user records, reduced to what the suite asks of it. */
interface UserProducer {
  /** Sends users `from` to `from + count - 1` to `topic`; resolves once all are acknowledged. */
  send(topic: string, from: number, count: number): Promise<void>;
  close(): Promise<void>;
}

/** A connected SchemaProducer of `client` writing user records with the subject's latest schema. */
async function userProducer(client: Client): Promise<UserProducer> {
  const value = new Serializer({
    registry: stack.registry,
    formats,
    useLatestVersion: true,
    subjectNameStrategy: () => subject,
  });
  const users = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ value: user(from + i) }));
  if (client === 'kafkajs') {
    const producer = new SchemaProducer(kafka, { value });
    await producer.connect();
    return {
      send: async (topic, from, count) => void (await producer.send({ topic, messages: users(from, count) })),
      close: () => producer.disconnect(),
    };
  }
  const producer = new PlatformaticSchemaProducer({
    value,
    producer: { clientId: `cluster-it-${randomUUID()}`, bootstrapBrokers: [...stack.brokers] },
  });
  return {
    send: async (topic, from, count) =>
      void (await producer.send({ messages: users(from, count).map((m) => ({ ...m, topic })) })),
    close: () => producer.close(),
  };
}

/**
 * Sends users 0 to sends * size - 1 to `topic`, `size` a send, calling `before(send)` ahead of each and
 * waiting `pauseMs` after it; counts what the producer reports as sent, and the delivery errors.
 */
async function sendUsers(
  producer: UserProducer,
  topic: string,
  { sends, size, pauseMs = 0 }: { sends: number; size: number; pauseMs?: number },
  before: (send: number) => void,
): Promise<{ reported: number; failures: DeliveryError[] }> {
  let reported = 0;
  const failures: DeliveryError[] = [];
  for (let send = 0; send < sends; send++) {
    before(send);
    try {
      await producer.send(topic, send * size, size);
      reported += size;
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      failures.push(error);
      reported += error.delivered;
    }
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return { reported, failures };
}

/** Writes users 0 to count - 1 to `topic`, in sends of 1000, with every broker up. */
async function produceUsers(topic: string, count: number): Promise<void> {
  const producer = await userProducer('kafkajs');
  try {
    for (let start = 0; start < count; start += 1_000)
      await producer.send(topic, start, Math.min(1_000, count - start));
  } finally {
    await producer.close();
  }
}

/** Waits until every partition of every topic has all its replicas in sync again. */
async function healthy(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { topics } = await admin.fetchTopicMetadata();
    const lagging = topics.flatMap((topic) =>
      topic.partitions.filter((p) => p.leader < 0 || p.isr.length < p.replicas.length),
    );
    if (lagging.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${lagging.length} partitions still out of sync`);
    await sleep(500);
  }
}

/**
 * The broker coordinating `groupId`: killing it makes every member of the group find the new
 * coordinator and join again, the hardest broker loss for a consumer group.
 */
async function coordinatorOf(groupId: string): Promise<KafkaNode> {
  const client = new PlatformaticAdmin({
    clientId: `cluster-it-${randomUUID()}`,
    bootstrapBrokers: [...stack.brokers],
  });
  try {
    const [found] = await client.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] });
    const node = stack.kafka.nodes.find((candidate) => candidate.nodeId === found?.nodeId);
    if (node === undefined)
      throw new Error(`group ${groupId} has no coordinator among the brokers: ${found?.nodeId}`);
    return node;
  } finally {
    await client.close();
  }
}

/** Kills `node`, and starts it again `downMs` later; resolves once it serves and the cluster is in sync. */
async function outage(node: KafkaNode, downMs: number): Promise<void> {
  await node.kill();
  await sleep(downMs);
  await node.start();
  await healthy();
}

/** The first name of every message of `topic`, read from the beginning to the end it has now. */
async function readBack(topic: string): Promise<string[]> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([partition]) => partition));
  const names: string[] = [];
  const consumer = kafka.consumer({ groupId: `read-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const deserializer = new Deserializer({ registry: new SchemaResolver(stack.registry), formats });
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  if (remaining.size === 0) done();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const decoded = await deserializer.deserialize(message);
        names.push((decoded!.value as { first_name: string }).first_name);
        if (BigInt(message.offset) + 1n >= ends.get(partition)!) {
          remaining.delete(partition);
          if (remaining.size === 0) done();
        }
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return names;
}

/** Names that occur more than once, and the expected names that do not occur. */
function tally(names: readonly string[], expected: number) {
  const seen = new Set(names);
  const missing = Array.from({ length: expected }, (_, n) => `m${n}`).filter((name) => !seen.has(name));
  return { total: names.length, unique: seen.size, duplicates: names.length - seen.size, missing };
}

/** Notes a measurement on stderr, where the test run shows it. */
function measured(what: string, numbers: Record<string, unknown>): void {
  process.stderr.write(`cluster durability: ${what}: ${JSON.stringify(numbers)}\n`);
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with `input` on stdin; `onStderrLine` sees each stderr line as it comes. */
function cli(args: readonly string[], input: string, onStderrLine: (line: string) => void): Promise<CliRun> {
  const child = spawn(process.execPath, [mainJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onStderrLine(line);
  });
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** `schemawire produce` of user lines to `topic` through `brokers`, with the suite's registry and subject. */
const produceArgs = (brokers: readonly string[], topic: string) => [
  'produce',
  ...['--brokers', brokers.join(','), '--registry', stack.confluentApiUrl],
  ...['--topic', topic, '--subject', subject],
];

const lines = (count: number) =>
  `${Array.from({ length: count }, (_, n) => JSON.stringify(user(n))).join('\n')}\n`;

describe('cluster > produce while a broker is killed and restarted', () => {
  it('schemawire produce: every message it reports as sent is on the topic, once', async () => {
    const topic = await createTopic();
    const count = 30_000;
    let batches = 0;
    let broken: Promise<void> | undefined;
    const run = await cli(produceArgs(stack.brokers, topic), lines(count), (line) => {
      if (line.startsWith('sent ') && ++batches === 2) broken = outage(stack.kafka.nodes[0]!, 8_000);
    });
    await broken;
    const names = await readBack(topic);
    const result = tally(names, count);
    measured('CLI produce', {
      exit: run.code,
      batches,
      retries: run.stderr.split('retrying ').length - 1,
      ...result,
      missing: result.missing.length,
    });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ topic, messages: count });
    expect(result).toEqual({ total: count, unique: count, duplicates: 0, missing: [] });
  });

  it.each(clients)(
    'SchemaProducer of %s: every send resolves only with its messages acknowledged, each on the topic once',
    async (client) => {
      const topic = await createTopic();
      const producer = await userProducer(client);
      const sends = 40;
      const size = 500;
      let broken: Promise<void> | undefined;
      let sent: Awaited<ReturnType<typeof sendUsers>>;
      try {
        sent = await sendUsers(producer, topic, { sends, size }, (send) => {
          if (send === 2) broken = outage(stack.kafka.nodes[1]!, 8_000);
        });
      } finally {
        await producer.close();
      }
      const { reported, failures } = sent;
      await broken;
      const result = tally(await readBack(topic), sends * size);
      measured(`${client} SchemaProducer.send`, {
        reported,
        failures: failures.length,
        ...result,
        missing: result.missing.length,
      });
      expect(failures).toEqual([]);
      expect(reported).toBe(sends * size);
      expect(result).toEqual({ total: sends * size, unique: sends * size, duplicates: 0, missing: [] });
    },
  );

  it('schemawire produce goes on when the first bootstrap broker is down', async () => {
    const topic = await createTopic();
    const down = stack.kafka.nodes[2]!;
    await down.kill();
    try {
      const others = stack.brokers.filter((broker) => broker !== down.address);
      const run = await cli(produceArgs([down.address, ...others], topic), lines(2_000), () => {});
      expect(run.stderr).not.toMatch(/error/);
      expect(run.code).toBe(0);
      expect(tally(await readBack(topic), 2_000)).toEqual({
        total: 2_000,
        unique: 2_000,
        duplicates: 0,
        missing: [],
      });
    } finally {
      await down.start();
      await healthy();
    }
  });
});

/** A group member in a process of its own (group-member.mjs), and the lines it printed. */
class Member {
  readonly process: ChildProcess;
  readonly names: string[] = [];
  readonly ready: Promise<void>;
  /** The errors the consumer crashed with (kafkajs restarts it; @platformatic/kafka's stops). */
  readonly crashes: string[] = [];
  /** The warnings the SchemaConsumer logged: streams opened again, rejoins that failed. */
  readonly warnings: string[] = [];

  constructor(client: Client, topic: string, groupId: string, onHandled: () => void) {
    this.process = spawn(
      process.execPath,
      // kafkajs 2.2.4 sets negative timeouts, which Node 24 warns about on every process.
      [
        '--disable-warning=TimeoutNegativeWarning',
        memberJs,
        client,
        stack.brokers.join(','),
        stack.confluentApiUrl,
        topic,
        groupId,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let partial = '';
    let joined: () => void = () => {};
    this.ready = new Promise((resolve) => {
      joined = resolve;
    });
    this.process.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') {
          joined();
          continue;
        }
        if (line.startsWith('crash ')) {
          this.crashes.push(line.slice('crash '.length));
          continue;
        }
        if (line.startsWith('warn ')) {
          this.warnings.push(line.slice('warn '.length));
          continue;
        }
        this.names.push(line.split(' ')[2]!);
        onHandled();
      }
    });
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  stop(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill(signal);
    return exited;
  }
}

/** What a group of members handled, tallied against users 0 to count - 1, and how it went. */
interface GroupOutcome {
  readonly result: ReturnType<typeof tally>;
  /** The errors the members' consumers crashed with. */
  readonly crashes: readonly string[];
  /** How many of the members the test did not kill ended on their own. */
  readonly exited: number;
}

/**
 * Waits until `members` handled users 0 to count - 1 (at most 180 s) and `outage()` is over, lets the
 * group settle 3 s, so that late re-deliveries are counted too, then stops the members.
 */
async function settleGroup(
  members: readonly Member[],
  count: number,
  outage: () => Promise<void> | undefined,
  killed: readonly Member[] = [],
): Promise<GroupOutcome> {
  const distinct = () => new Set(members.flatMap((member) => member.names)).size;
  let exited = 0;
  try {
    const deadline = Date.now() + 180_000;
    while (distinct() < count && Date.now() < deadline) await sleep(500);
    await outage();
    await sleep(3_000);
  } finally {
    exited = members.filter((member) => !killed.includes(member) && !member.running).length;
    await Promise.all(members.map((member) => member.stop('SIGTERM')));
  }
  const result = tally(
    members.flatMap((member) => member.names),
    count,
  );
  const crashes = members.flatMap((member) => member.crashes);
  return { result, crashes, exited };
}

/** Notes a group's outcome, with its members' warnings. */
function measuredGroup(what: string, members: readonly Member[], { result, crashes, exited }: GroupOutcome) {
  measured(what, {
    crashes: crashes.length,
    ...(crashes.length === 0 ? {} : { crashed: crashes }),
    exited,
    ...result,
    missing: result.missing.length,
    warnings: members.flatMap((member) => member.warnings),
  });
}

describe('cluster > consumer group', () => {
  it.each(clients)(
    'of %s SchemaConsumers loses nothing when a member and the group coordinator are killed; what comes twice is bounded by the commit cadence',
    async (client) => {
      const topic = await createTopic();
      const count = 30_000;
      await produceUsers(topic, count);

      const groupId = `group-${randomUUID()}`;
      let handled = 0;
      let stage = 0;
      let broken: Promise<void> | undefined;
      const members: Member[] = [];
      const onHandled = () => {
        handled++;
        if (stage === 0 && handled >= 6_000) {
          stage = 1;
          void members[0]!.stop('SIGKILL');
        } else if (stage === 1 && handled >= 12_000) {
          stage = 2;
          broken = coordinatorOf(groupId).then((node) => outage(node, 8_000));
        }
      };
      for (let i = 0; i < 3; i++) members.push(new Member(client, topic, groupId, onHandled));
      await Promise.all(members.map((member) => member.ready));
      const outcome = await settleGroup(members, count, () => broken, members.slice(0, 1));
      const { result, crashes, exited } = outcome;
      // The killed member's own crash is not counted: it never reports one.
      measuredGroup(`${client} consumer group`, members, outcome);
      // The two brokers left carry the group: its members ride out the kill of the group's
      // coordinator, which moves it and partitions' leaders. (With kafkajs's default consumer retries they
      // crashed, left the group and joined it again on "the coordinator is loading", refused fetches and
      // "not the correct coordinator": 2 to 11 crashes a run.) Asked first: a member that crashed but
      // stays in the group holds its partitions, and what goes missing then is its doing.
      expect({ crashes, exited }).toEqual({ crashes: [], exited: 0 });
      expect(result.missing).toEqual([]);
      // A member commits every 1000 handled messages (or every second; the @platformatic/kafka members
      // are set to leave at most 1000 uncommitted), so whatever makes the group
      // read again from the commits hands on at most 1000 a member: the killed member's, and, when the
      // coordinator's fall makes the members join again, each other member's. Three
      // members, one spare: 4000. (Committing once per fetched batch, as kafkajs does by default, this
      // run gave 5,345.)
      expect(result.duplicates).toBeLessThanOrEqual(4 * 1_000);
    },
  );

  it('keeps its place in the group while the registry is frozen past the session timeout, and loses nothing', async () => {
    const topic = await createTopic(3);
    const count = 2_000;
    await produceUsers(topic, count);

    // A consumer whose registry client has nothing cached yet, as one just deployed.
    const registry = new ConfluentRestClient({ baseUrl: stack.confluentApiUrl });
    const consumer = new SchemaConsumer(
      kafka.consumer({
        groupId: `group-${randomUUID()}`,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 200,
      }),
      { value: new Deserializer({ registry: new SchemaResolver(registry), formats }), logger: quiet },
    );
    let joins = 0;
    let crashes = 0;
    consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => joins++);
    consumer.consumer.on(consumer.consumer.events.CRASH, () => crashes++);
    const names: string[] = [];
    await stack.schemaRegistry.pause();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ decoded }) => {
          names.push((decoded.value as { first_name: string }).first_name);
        },
      });
      // Twice the session timeout with the registry frozen.
      await sleep(20_000);
      expect(names).toEqual([]);
    } finally {
      await stack.schemaRegistry.unpause();
    }
    try {
      const deadline = Date.now() + 90_000;
      while (names.length < count && Date.now() < deadline) await sleep(200);
      await sleep(2_000);
    } finally {
      await consumer.disconnect();
    }
    const result = tally(names, count);
    measured('registry frozen 20 s', { joins, crashes, ...result, missing: result.missing.length });
    expect({ joins, crashes }).toEqual({ joins: 1, crashes: 0 });
    expect(result).toEqual({ total: count, unique: count, duplicates: 0, missing: [] });
  });
});

describe('cluster > a broker down for 30 s', () => {
  it.each(clients)(
    '%s: what the SchemaProducer reports as sent is on the topic once, and its group reads all of it',
    async (client) => {
      const topic = await createTopic();
      const groupId = `group-${randomUUID()}`;
      const members = Array.from({ length: 3 }, () => new Member(client, topic, groupId, () => {}));
      const producer = await userProducer(client);
      const sends = 60;
      const size = 500;
      let broken: Promise<void> | undefined;
      let sent: Awaited<ReturnType<typeof sendUsers>>;
      let outcome: GroupOutcome;
      try {
        await Promise.all(members.map((member) => member.ready));
        // About 40 s of sends, with the group reading as they come: the group's coordinator is down
        // from the 10th send to past the last.
        sent = await sendUsers(producer, topic, { sends, size, pauseMs: 500 }, (send) => {
          if (send === 10) broken = coordinatorOf(groupId).then((node) => outage(node, 30_000));
        });
      } finally {
        await producer.close();
        outcome = await settleGroup(members, sends * size, () => broken);
      }
      const { reported, failures } = sent;
      const onTopic = tally(await readBack(topic), sends * size);
      measured(`${client} broker down 30 s, produce`, {
        reported,
        failures: failures.length,
        ...onTopic,
        missing: onTopic.missing.length,
      });
      measuredGroup(`${client} broker down 30 s, consume`, members, outcome);
      expect(failures).toEqual([]);
      expect(reported).toBe(sends * size);
      expect(onTopic).toEqual({ total: sends * size, unique: sends * size, duplicates: 0, missing: [] });
      expect(outcome.result.missing).toEqual([]);
      expect({ crashes: outcome.crashes, exited: outcome.exited }).toEqual({ crashes: [], exited: 0 });
      // No member is killed: when the coordinator falls and the members join the new one, each
      // hands on at most what it handled since its last commit, 1000.
      expect(outcome.result.duplicates).toBeLessThanOrEqual(3 * 1_000);
    },
  );
});

const quiet = { info() {}, warn() {}, error() {} };
