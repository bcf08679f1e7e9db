/**
 * The built `schemawire consume` reading what producers without a registry write, as the tutorial
 * the project grew from has them: keyed strings and a JSON message on one topic, a bare Avro `User`
 * (no schema id) and a bare Protobuf `MyMessage` on topics of their own. One run prints every value
 * exactly, with the user's schema files and no registry; and `produce --raw` writes those same bytes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Producer } from 'kafkajs';
import { ndjson, printed, runCli, stderrLines } from '../support/cli-runner.js';
import { schemaFile } from '../support/example-schemas.js';
import { KafkaHarness } from '../support/kafka-harness.js';

const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };
/** Python's avro DatumWriter output for USER: the bare body. */
const RAW_USER = Buffer.from([0x08, ...Buffer.from('John'), 0x06, ...Buffer.from('Doe'), 0x3c]);
/** MyMessage.SerializeToString() for MY_MESSAGE. */
const RAW_MY_MESSAGE = Buffer.from([0x08, 0x01, 0x12, 0x08, ...Buffer.from('John Doe'), 0x18, 0x1e]);
/** json.dumps of the tutorial's JSON message, spaces and all. */
const JSON_TEXT = '{"id": 1, "name": "John Doe", "age": 30}';

// Each test runs the CLI a few times, a second or so each.
jest.setTimeout(60_000);

const harness = new KafkaHarness();
let producer: Producer;
let example: string;
let avro: string;
let proto: string;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
  [example, avro, proto] = (await harness.topics(3)) as [string, string, string];
  // The tutorial's producers, byte for byte: str.encode keys and values, then json.dumps, then the
  // bare Avro and Protobuf bodies.
  await producer.send({
    topic: example!,
    messages: [
      ...[0, 1, 2, 3].map((i) => ({ key: String(i), value: `message number ${i}` })),
      { value: JSON_TEXT },
    ],
  });
  await producer.send({ topic: avro!, messages: [{ value: RAW_USER }] });
  await producer.send({ topic: proto!, messages: [{ value: RAW_MY_MESSAGE }] });
});

afterAll(() => harness.close());

/** Every message of the three topics, read by a new group with no registry named. */
async function consumeTutorial(...args: string[]) {
  const topics = [example, avro, proto].flatMap((topic) => ['--topic', topic]);
  const run = await runCli(
    harness,
    ['consume', ...topics, '--from-beginning', '--max-messages', '7', ...args],
    { noRegistry: true },
  );
  expect(stderrLines(run).filter((line) => !line.startsWith('consumed '))).toEqual([]);
  expect(run.code).toBe(0);
  // Topics interleave as partitions are fetched; within a topic the order is the offsets'.
  return printed(run).sort((a, b) =>
    `${a['topic']}/${a['offset']}`.localeCompare(`${b['topic']}/${b['offset']}`),
  );
}

const sortedTopics = () => [example, avro, proto].sort();

describe("cli > consume > the tutorial's raw payloads", () => {
  it('one run prints every value exactly: strings and JSON by --fallback auto, Avro and Protobuf by --schema', async () => {
    const lines = await consumeTutorial(
      '--schema',
      `${avro}=${schemaFile('user.avsc')}`,
      '--schema',
      `${proto}=${schemaFile('my_message.proto')}`,
      '--message',
      'io.schemawire.example.MyMessage',
      '--fallback',
      'auto',
    );
    const envelope = { partition: 0, headers: {}, schemaId: null, subject: null };
    const expected = {
      [example]: [
        ...[0, 1, 2, 3].map((i) => ({
          ...envelope,
          topic: example,
          offset: String(i),
          key: String(i),
          schemaType: 'STRING',
          value: `message number ${i}`,
        })),
        {
          ...envelope,
          topic: example,
          offset: '4',
          key: null,
          schemaType: 'JSON',
          value: JSON.parse(JSON_TEXT),
        },
      ],
      [avro]: [{ ...envelope, topic: avro, offset: '0', key: null, schemaType: 'AVRO', value: USER }],
      [proto]: [
        { ...envelope, topic: proto, offset: '0', key: null, schemaType: 'PROTOBUF', value: MY_MESSAGE },
      ],
    };
    expect(lines).toEqual(sortedTopics().flatMap((topic) => expected[topic!]!));
  });

  it('--value-format base64 and --key-format hex print the bytes as they came', async () => {
    const lines = await consumeTutorial('--value-format', 'base64', '--key-format', 'hex');
    const sent = {
      [example]: [
        ...[0, 1, 2, 3].map((i) => ({ key: String(i), value: `message number ${i}` })),
        { key: null, value: JSON_TEXT },
      ].map(({ key, value }) => ({
        key: key === null ? null : Buffer.from(key).toString('hex'),
        value: Buffer.from(value).toString('base64'),
      })),
      [avro]: [{ key: null, value: RAW_USER.toString('base64') }],
      [proto]: [{ key: null, value: RAW_MY_MESSAGE.toString('base64') }],
    };
    expect(lines.map(({ key, value, schemaType }) => ({ key, value, schemaType }))).toEqual(
      sortedTopics().flatMap((topic) =>
        sent[topic!]!.map((message) => ({ ...message, schemaType: 'BYTES' })),
      ),
    );
  });

  it('--reader-schema reads the bare Avro body into a newer schema, its new field at its default', async () => {
    const user = JSON.parse(await readFile(schemaFile('user.avsc'), 'utf8')) as { fields: unknown[] };
    const email = { name: 'email', type: ['null', 'string'], default: null };
    const dir = await mkdtemp(join(tmpdir(), 'schemawire-it-'));
    const file = join(dir, 'user-v2.avsc');
    await writeFile(file, JSON.stringify({ ...user, fields: [...user.fields, email] }));
    const run = await runCli(
      harness,
      [
        'consume',
        '--topic',
        avro,
        '--from-beginning',
        '--max-messages',
        '1',
        '--schema',
        schemaFile('user.avsc'),
        '--reader-schema',
        file,
      ],
      { noRegistry: true },
    );
    await rm(dir, { recursive: true });
    expect(printed(run).map(({ value }) => value)).toEqual([{ ...USER, email: null }]);
  });
});

describe('cli > produce --raw', () => {
  it("writes the bare body the tutorial's consumer reads, with a schema file and no registry", async () => {
    const [topic] = await harness.topics(1);
    const run = await runCli(
      harness,
      ['produce', '--topic', topic!, '--schema', schemaFile('user.avsc'), '--raw'],
      { input: ndjson(USER), noRegistry: true },
    );
    expect(stderrLines(run)).toEqual([`sent 1 message (line 1) to "${topic}": partition 0 offset 0`]);
    const [message] = await harness.readRaw(topic!, 1);
    expect(message!.value).toEqual(RAW_USER);
    expect(message!.headers).toEqual({});
  });

  it('--schema-text takes the schema inline; --quiet prints only the final line, with time and rate', async () => {
    const [topic] = await harness.topics(1);
    const schema = await readFile(schemaFile('user.avsc'), 'utf8');
    const run = await runCli(
      harness,
      ['produce', '--topic', topic!, '--schema-text', schema, '--type', 'avro', '--raw', '--quiet'],
      { input: ndjson(USER, USER), noRegistry: true },
    );
    expect(run.stderr).toBe('');
    const [final] = printed(run);
    expect(final).toEqual({ topic, messages: 2, seconds: expect.any(Number), perSecond: expect.any(Number) });
    expect(final!['perSecond']).toBe(Math.round(2 / Math.max(final!['seconds'] as number, 0.001)));
    const messages = await harness.readRaw(topic!, 2);
    expect(messages.map(({ value }) => value)).toEqual([RAW_USER, RAW_USER]);
  });
});

describe('cli > consume > partitions, offsets and the end', () => {
  // Two partitions of three messages each; partition 0's a second apart, from T0.
  const T0 = Date.UTC(2026, 0, 1);
  let topic: string;
  beforeAll(async () => {
    [topic] = (await harness.topics(1, 2)) as [string];
    await producer.send({
      topic,
      messages: [0, 1, 2].flatMap((i) => [
        { partition: 0, key: `k${i}`, value: `p0-${i}`, timestamp: String(T0 + i * 1000) },
        { partition: 1, key: `k${i}`, value: `p1-${i}` },
      ]),
    });
  });

  /** What --print key-value printed, in partition and offset order, and the run's last stderr line. */
  async function read(...args: string[]) {
    const run = await runCli(
      harness,
      ['consume', '--topic', topic, '--exit-at-end', '--print', 'key-value', ...args],
      {
        noRegistry: true,
      },
    );
    expect(run.code).toBe(0);
    const values = printed(run)
      .map(({ value }) => value as string)
      .sort();
    return { values, last: stderrLines(run).at(-1) };
  }

  it.each([
    [
      '--partition 1 --offset beginning',
      ['--partition', '1', '--offset', 'beginning'],
      ['p1-0', 'p1-1', 'p1-2'],
    ],
    ['--offset -1 (the last of each)', ['--offset', '-1'], ['p0-2', 'p1-2']],
    ['--partition 0 --offset 1', ['--partition', '0', '--offset', '1'], ['p0-1', 'p0-2']],
    ['--partition 0 --offset @unix ms', ['--partition', '0', '--offset', `@${T0 + 1000}`], ['p0-1', 'p0-2']],
    [
      '--partition 0 --offset @ISO time',
      ['--partition', '0', '--offset', `@${new Date(T0 + 2000).toISOString()}`],
      ['p0-2'],
    ],
    ['--offset end', ['--offset', 'end'], []],
  ])('%s --exit-at-end stops at the end with exactly those', async (_, args, values) => {
    const run = await read('--fallback', 'string', ...args);
    expect(run.values).toEqual(values);
    expect(run.last).toBe(
      `consumed ${values.length} message${values.length === 1 ? '' : 's'} from "${topic}" (reached the end of every partition)`,
    );
  });

  it('--print value prints the value alone, --print key-value what produce reads back', async () => {
    const args = ['consume', '--topic', topic, '--partition', '1', '--offset', '-1', '--exit-at-end'];
    const value = await runCli(harness, [...args, '--fallback', 'string', '--print', 'value'], {
      noRegistry: true,
    });
    const keyValue = await runCli(harness, [...args, '--fallback', 'string', '--print', 'key-value'], {
      noRegistry: true,
    });
    expect(value.stdout).toBe('"p1-2"\n');
    expect(keyValue.stdout).toBe('{"key":"k2","value":"p1-2"}\n');
  });
});
