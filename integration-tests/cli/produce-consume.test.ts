/**
 * The built `schemawire produce` and `consume` against the real broker and registry, as a user runs
 * them: every value format (string, JSON, Avro, Protobuf, JSON Schema), every carrier, keys, headers,
 * bad lines, error policies, the ends of a run and the progress line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parseJsonExactly, stringifyJsonExactly } from '@schemawire/core-client';
import { DEAD_LETTER_HEADERS } from '@schemawire/kafkajs';
import type { Producer } from 'kafkajs';
import type { CliRun } from '../support/cli-runner.js';
import { ndjson, printed, runCli, stderrLines } from '../support/cli-runner.js';
import { schemaFile } from '../support/example-schemas.js';
import { KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };

// Each test runs the CLI several times, a second or so each.
jest.setTimeout(60_000);

const harness = new KafkaHarness();
let producer: Producer;

beforeAll(async () => {
  await harness.start();
  producer = await harness.producer();
});

afterAll(() => harness.close());

/** Runs the built CLI against the test stack with `input` on stdin, `terminal` streams taken for a terminal. */
const cli = (
  args: readonly string[],
  input: string | Buffer = '',
  terminal: readonly ('stdin' | 'stderr')[] = [],
) => runCli(harness, args, { input, terminal });

/** Every message of `topic` so far, read by a new group. */
async function consumeAll(topic: string, count: number, ...args: string[]): Promise<CliRun> {
  const run = await cli([
    'consume',
    '--topic',
    topic,
    '--from-beginning',
    '--max-messages',
    String(count),
    ...args,
  ]);
  expect(run.stderr).not.toContain('error:');
  return run;
}

/**
 * The printed subject holds the printed schema id, as does `written`. The registry gives equal content
 * one id, so the id of a schema registered under several subjects (other tests register the same
 * files) names any of them.
 */
async function expectSubjectOf(message: Record<string, unknown>, written: string): Promise<void> {
  const versions = await harness.registry().getSubjectVersionsOfId(message['schemaId'] as number);
  const subjects = versions.map(({ subject }) => subject);
  expect(subjects).toContain(written);
  expect(subjects).toContain(message['subject']);
}

describe('cli > produce and consume > value formats', () => {
  it('string: the seed keyed strings, with one batch line and the count', async () => {
    const topic = await harness.topic();
    const lines = [0, 1, 2, 3].map((i) => ({ key: String(i), value: `message number ${i}` }));
    const sent = await cli(['produce', '--topic', topic, '--format', 'string'], ndjson(...lines));
    expect(sent.code).toBe(0);
    expect(printed(sent)).toEqual([
      { topic, messages: 4, seconds: expect.any(Number), perSecond: expect.any(Number) },
    ]);
    expect(stderrLines(sent)).toEqual([`sent 4 messages (lines 1-4) to "${topic}": partition 0 offsets 0-3`]);

    // The key carrier is off unless --key-carrier: keys 0..3 are keys of their own, not schema ids.
    const read = await consumeAll(topic, 4, '--fallback', 'string');
    expect(read.code).toBe(0);
    expect(printed(read)).toEqual(
      lines.map(({ key, value }, offset) => ({
        topic,
        partition: 0,
        offset: String(offset),
        key,
        headers: {},
        schemaId: null,
        schemaType: 'STRING',
        subject: null,
        value,
      })),
    );
    expect(stderrLines(read)).toEqual([`consumed 4 messages from "${topic}"`]);
  });

  it('a topic that does not exist yet is created where the broker creates topics on first use', async () => {
    const topic = uniqueName('created-on-use');
    const sent = await cli(['produce', '--topic', topic, '--format', 'string'], ndjson('first'));
    expect(sent.stderr).not.toMatch(/error/);
    expect(printed(sent)).toEqual([
      { topic, messages: 1, seconds: expect.any(Number), perSecond: expect.any(Number) },
    ]);
    expect(await harness.written(topic)).toEqual(['1']);
  });

  it('json: schemaless JSON values, read back with the json fallback', async () => {
    const topic = await harness.topic();
    expect(
      (await cli(['produce', '--topic', topic, '--format', 'json'], ndjson(MY_MESSAGE, [1, 2]))).code,
    ).toBe(0);
    const read = await consumeAll(topic, 2, '--fallback', 'json');
    expect(printed(read).map(({ schemaType, value }) => [schemaType, value])).toEqual([
      ['JSON', MY_MESSAGE],
      ['JSON', [1, 2]],
    ]);
  });

  it('avro: --schema registers under <topic>-value and the consumer names the schema', async () => {
    const topic = await harness.topic();
    const sent = await cli(['produce', '--topic', topic, '--schema', schemaFile('user.avsc')], ndjson(USER));
    expect(sent.code).toBe(0);
    const { id } = await harness.registry().getVersion(`${topic}-value`, 'latest');
    const [message] = printed(await consumeAll(topic, 1));
    expect(message).toMatchObject({ schemaId: id, schemaType: 'AVRO', value: USER });
    await expectSubjectOf(message!, `${topic}-value`);
  });

  it('protobuf: --message picks the type and the value decodes by its message indexes', async () => {
    const topic = await harness.topic();
    const args = ['--schema', schemaFile('my_message.proto'), '--message', 'io.schemawire.example.MyMessage'];
    expect((await cli(['produce', '--topic', topic, ...args], ndjson(MY_MESSAGE))).code).toBe(0);
    const [message] = printed(await consumeAll(topic, 1));
    expect(message).toMatchObject({ schemaType: 'PROTOBUF', value: MY_MESSAGE });
    await expectSubjectOf(message!, `${topic}-value`);
  });

  it('json schema: values are checked against the schema before they are sent', async () => {
    const topic = await harness.topic();
    const args = ['produce', '--topic', topic, '--schema', schemaFile('my_json_message.json')];
    expect((await cli(args, ndjson(MY_MESSAGE))).code).toBe(0);
    const refused = await cli(args, ndjson({ id: 'one' }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: cannot produce line 1: .*id/);
    expect(await harness.written(topic)).toEqual(['1']);
    const [message] = printed(await consumeAll(topic, 1));
    expect(message).toMatchObject({ schemaType: 'JSON', value: MY_MESSAGE });
  });

  it('--subject writes with the latest schema of a subject of another name', async () => {
    const topic = await harness.topic();
    const subject = uniqueName('users');
    const registered = await cli(['register', schemaFile('user.avsc'), '--subject', subject]);
    const { id } = printed(registered)[0] as { id: number };
    expect((await cli(['produce', '--topic', topic, '--subject', subject], ndjson(USER))).code).toBe(0);
    const [message] = printed(await consumeAll(topic, 1));
    expect(message).toMatchObject({ schemaId: id, value: USER });
    await expectSubjectOf(message!, subject);
  });
});

describe('cli > produce and consume > carriers, keys and headers', () => {
  it('every carrier decodes with the one universal consumer', async () => {
    const topic = await harness.topic();
    const subject = uniqueName('carriers');
    await cli(['register', schemaFile('user.avsc'), '--subject', subject]);
    for (const carrier of ['prefix', 'header', 'apicurio', 'key']) {
      const sent = await cli(
        ['produce', '--topic', topic, '--subject', subject, '--carrier', carrier],
        ndjson(USER),
      );
      expect(sent.code).toBe(0);
    }
    const read = printed(await consumeAll(topic, 4, '--key-carrier'));
    expect(read.map(({ value }) => value)).toEqual([USER, USER, USER, USER]);
    expect(Object.keys(read[1]!['headers'] as object)).toEqual(['__value_schema_id']);
    expect(Object.keys(read[2]!['headers'] as object)).toEqual(['apicurio.value.contentId']);
    expect(read[3]!['key']).toBe(String(read[3]!['schemaId']));
  });

  it('a key that names an existing schema id is a key, not the schema id, unless --key-carrier', async () => {
    const topic = await harness.topic();
    const subject = uniqueName('numeric-keys');
    const registered = await cli(['register', schemaFile('user.avsc'), '--subject', subject]);
    const { id } = printed(registered)[0] as { id: number };
    // A Python producer's numeric key, here one that is also the id of a registered schema.
    const line = { key: String(id), value: 'order 1001' };
    expect((await cli(['produce', '--topic', topic, '--format', 'string'], ndjson(line))).code).toBe(0);
    const [message] = printed(await consumeAll(topic, 1, '--fallback', 'string'));
    expect(message).toMatchObject({
      key: String(id),
      schemaId: null,
      schemaType: 'STRING',
      value: 'order 1001',
    });
    const keyed = await cli([
      'consume',
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '1',
      '--key-carrier',
    ]);
    expect(keyed.code).toBe(1);
    expect(stderrLines(keyed)[0]).toContain(`the key "${id}" was read as the schema id`);
  });

  it('envelopes carry keys and headers; headers print as text, or base64 when not UTF-8, and go back the same', async () => {
    const topic = await harness.topic();
    const headers = { origin: 'shop', trace: { base64: '/wA=' } };
    const line = { key: { user: 7 }, value: 'hello', headers };
    const sent = await cli(
      ['produce', '--topic', topic, '--format', 'string', '--key-format', 'json'],
      ndjson(line),
    );
    expect(sent.code).toBe(0);
    const [message] = printed(await consumeAll(topic, 1, '--fallback', 'string'));
    expect(message).toMatchObject({ key: '{"user":7}', value: 'hello', headers });
    const [written] = await harness.readRaw(topic, 1);
    expect(written!.headers).toEqual({ origin: Buffer.from('shop'), trace: Buffer.from([0xff, 0x00]) });
    const [raw] = printed(await consumeAll(topic, 1, '--fallback', 'string', '--key-format', 'base64'));
    expect(raw!['key']).toBe(Buffer.from('{"user":7}').toString('base64'));
  });

  it('a key that is not UTF-8 prints as {"base64"} and produce sends the same bytes again', async () => {
    const topic = await harness.topic();
    const key = { base64: Buffer.from([0xff, 0x00, 0x41]).toString('base64') };
    const sent = await cli(['produce', '--topic', topic, '--format', 'string'], ndjson({ key, value: 'v' }));
    expect(sent.code).toBe(0);
    const [written] = await harness.readRaw(topic, 1);
    expect(written!.key).toEqual(Buffer.from([0xff, 0x00, 0x41]));
    const [message] = printed(await consumeAll(topic, 1, '--fallback', 'string', '--print', 'key-value'));
    expect(message).toEqual({ key, value: 'v' });
  });

  it('--key-format avro writes keys with the key subject and the consumer decodes them', async () => {
    const topic = await harness.topic();
    await cli(['register', schemaFile('user.avsc'), '--subject', `${topic}-key`]);
    const line = { key: USER, value: 'keyed by a user' };
    const sent = await cli(
      ['produce', '--topic', topic, '--format', 'string', '--key-format', 'avro'],
      ndjson(line),
    );
    expect(sent.code).toBe(0);
    const [message] = printed(await consumeAll(topic, 1, '--fallback', 'string'));
    expect(message).toMatchObject({ key: USER, value: 'keyed by a user', schemaType: 'STRING' });
  });
});

describe('cli > produce > bad lines', () => {
  it('stops at the bad line, naming it, after sending the lines before it', async () => {
    const topic = await harness.topic();
    const input = `${ndjson(USER, USER, USER)}${JSON.stringify({ first_name: 'Jane' })}\n${ndjson(USER)}`;
    const run = await cli(
      ['produce', '--topic', topic, '--schema', schemaFile('user.avsc'), '--batch-size', '2'],
      input,
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(stderrLines(run)).toEqual([
      `sent 2 messages (lines 1-2) to "${topic}": partition 0 offsets 0-1`,
      `sent 1 message (line 3) to "${topic}": partition 0 offset 2`,
      expect.stringMatching(
        /^error: cannot produce line 4: .*last_name.* \(the 3 messages before it were sent\)$/,
      ),
    ]);
    expect(await harness.written(topic)).toEqual(['3']);
  });

  it('a line that is not JSON stops the run after the messages before it', async () => {
    const topic = await harness.topic();
    const run = await cli(
      ['produce', '--topic', topic, '--format', 'string'],
      `"one"\n\n"two"\nthree\n"four"\n`,
    );
    expect(run.code).toBe(1);
    expect(stderrLines(run).at(-1)).toMatch(
      /^error: cannot produce line 4: it is not JSON .* \(the 2 messages before it were sent\)$/,
    );
    expect(await harness.written(topic)).toEqual(['2']);
  });
});

describe('cli > produce > bad bytes', () => {
  it('a line that is not UTF-8 stops the run after the messages before it, naming line and offset', async () => {
    const topic = await harness.topic();
    const input = Buffer.concat([
      Buffer.from('"one"\n"t'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('o"\n"three"\n'),
    ]);
    const run = await cli(['produce', '--topic', topic, '--format', 'string'], input);
    expect(run.code).toBe(1);
    expect(stderrLines(run).at(-1)).toBe(
      'error: cannot produce line 2: it is not UTF-8 (byte 0xc3 at byte offset 2 of the line) (the 1 message before it was sent)',
    );
    expect(await harness.written(topic)).toEqual(['1']);
  });
});

describe('cli > produce > bad keys', () => {
  it('a key that is not a string, with string keys, is named as the key', async () => {
    const topic = await harness.topic();
    const run = await cli(
      ['produce', '--topic', topic, '--format', 'string'],
      ndjson({ key: 7, value: 'x' }),
    );
    expect(run.code).toBe(1);
    expect(stderrLines(run)).toEqual([
      'error: cannot produce line 1: the key must be a JSON string or {"base64": "..."} with --key-format string (--key-format json takes any JSON), not 7 (nothing was sent)',
    ]);
  });
});

describe('cli > consume > error policies', () => {
  /** A topic holding a user, a payload no deserializer can decode, and another user. */
  async function mixedTopic(): Promise<string> {
    const topic = await harness.topic();
    await cli(['produce', '--topic', topic, '--schema', schemaFile('user.avsc')], ndjson(USER));
    await producer.send({ topic, messages: [{ value: 'garbage' }] });
    await cli(['produce', '--topic', topic, '--subject', `${topic}-value`], ndjson({ ...USER, age: 31 }));
    return topic;
  }

  it('fail: prints the messages before it, then exits 1 naming the message', async () => {
    const topic = await mixedTopic();
    const run = await cli(['consume', '--topic', topic, '--from-beginning', '--timeout-ms', '5000']);
    expect(run.code).toBe(1);
    expect(printed(run).map(({ offset }) => offset)).toEqual(['0']);
    expect(stderrLines(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: cannot consume message at topic "${topic}", partition 0, offset 1: cannot find schema id`,
        ),
      ),
    ]);
  });

  it('skip: warns of it on stderr and goes on', async () => {
    const topic = await mixedTopic();
    const run = await cli([
      'consume',
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '3',
      '--on-error',
      'skip',
    ]);
    expect(run.code).toBe(0);
    expect(printed(run).map(({ offset }) => offset)).toEqual(['0', '2']);
    expect(stderrLines(run)).toEqual([
      expect.stringMatching(
        /^warning: cannot decode message: skipped \(topic ".*", partition 0, offset 1\): /,
      ),
      `consumed 2 messages from "${topic}" (1 skipped)`,
    ]);
  });

  it('dead-letter: sends it as it came to the dead-letter topic and goes on', async () => {
    const topic = await mixedTopic();
    const deadLetters = await harness.topic();
    const run = await cli([
      'consume',
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '3',
      '--on-error',
      `dead-letter:${deadLetters}`,
    ]);
    expect(run.code).toBe(0);
    expect(printed(run).map(({ offset }) => offset)).toEqual(['0', '2']);
    expect(stderrLines(run).at(-1)).toBe(
      `consumed 2 messages from "${topic}" (1 sent to dead-letter topic "${deadLetters}")`,
    );
    const [letter] = printed(await consumeAll(deadLetters, 1, '--fallback', 'string'));
    expect(letter!['value']).toBe('garbage');
    expect(Object.keys(letter!['headers'] as object)).toEqual(
      expect.arrayContaining(Object.values(DEAD_LETTER_HEADERS)),
    );
  });
});

describe('cli > consume > the end of a run', () => {
  it.each([
    ['skipped', ['--on-error', 'skip']],
    ['dead-lettered', ['--on-error', 'dead-letter:DLQ']],
  ])('--max-messages ending on a message %s leaves the next one to the group', async (_name, policy) => {
    // user (offset 0), garbage (1), user (2): a run of two ends on the garbage.
    const topic = await harness.topic();
    await cli(['produce', '--topic', topic, '--schema', schemaFile('user.avsc')], ndjson(USER));
    await producer.send({ topic, messages: [{ value: 'garbage' }] });
    await cli(['produce', '--topic', topic, '--subject', `${topic}-value`], ndjson({ ...USER, age: 31 }));
    const deadLetters = await harness.topic();
    const onError = policy.map((arg) => arg.replace('DLQ', deadLetters));
    const group = uniqueName('cli-group');
    const args = ['consume', '--topic', topic, '--from-beginning', '--group', group, ...onError];
    const first = await cli([...args, '--max-messages', '2']);
    expect(first.code).toBe(0);
    expect(printed(first).map(({ offset }) => offset)).toEqual(['0']);
    const rest = await cli([...args, '--max-messages', '1']);
    expect(printed(rest).map(({ offset }) => offset)).toEqual(['2']);
  });

  it('--max-messages stops there and a named group goes on from there next time', async () => {
    const topic = await harness.topic();
    await cli(['produce', '--topic', topic, '--format', 'json'], ndjson(1, 2, 3, 4, 5));
    const group = uniqueName('cli-group');
    const args = ['consume', '--topic', topic, '--from-beginning', '--group', group, '--fallback', 'json'];
    const first = await cli([...args, '--max-messages', '2']);
    expect(printed(first).map(({ value }) => value)).toEqual([1, 2]);
    const rest = await cli([...args, '--max-messages', '3']);
    expect(printed(rest).map(({ value }) => value)).toEqual([3, 4, 5]);
  });

  it('--timeout-ms ends a run that has nothing to read with exit 0', async () => {
    const topic = await harness.topic();
    const run = await cli(['consume', '--topic', topic, '--from-beginning', '--timeout-ms', '1500']);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(stderrLines(run)).toEqual([`consumed 0 messages from "${topic}" (no new message for 1500 ms)`]);
  });
});

describe('cli > produce and consume > progress', () => {
  // The progress line is redrawn in place: carriage return, erase the line, count and rate.
  const expectProgress = (run: CliRun) => {
    expect(run.stderr).toContain('\r\u001b[K');
    expect(run.stderr).toMatch(/\d+ messages?, \d+\/s/);
  };

  it('shows the count and rate on a terminal and nothing of it elsewhere', async () => {
    const topic = await harness.topic();
    const input = ndjson(...Array.from({ length: 1200 }, (_, i) => `message ${i}`));
    const produced = await cli(['produce', '--topic', topic, '--format', 'string'], input, ['stderr']);
    expect(produced.code).toBe(0);
    expectProgress(produced);
    expect(produced.stderr).toContain(`sent 200 messages (lines 1001-1200) to "${topic}"`);
    const quiet = await cli(['produce', '--topic', topic, '--format', 'string'], input);
    expect(quiet.stderr).not.toContain('\r');
    expect(stderrLines(quiet)).toHaveLength(3);

    const consumed = await cli(
      ['consume', '--topic', topic, '--from-beginning', '--max-messages', '2400', '--fallback', 'string'],
      '',
      ['stderr'],
    );
    expect(consumed.code).toBe(0);
    expectProgress(consumed);
    expect(printed(consumed)).toHaveLength(2400);
  });

  it('sends each line as it comes when stdin is a terminal', async () => {
    const topic = await harness.topic();
    const run = await cli(['produce', '--topic', topic, '--format', 'string'], ndjson('a', 'b'), ['stdin']);
    expect(run.code).toBe(0);
    expect(stderrLines(run)).toEqual([
      `sent 1 message (line 1) to "${topic}": partition 0 offset 0`,
      `sent 1 message (line 2) to "${topic}": partition 0 offset 1`,
    ]);
  });
});

describe('cli > produce and consume > 64-bit integers', () => {
  const MAX = '9223372036854775807';
  const MIN = '-9223372036854775808';
  const NEAR = '9007199254740993';
  const cases = [
    {
      kind: 'avro',
      file: 'row.avsc',
      schema: JSON.stringify({
        type: 'record',
        name: 'Row',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'maybe', type: ['null', 'long'] },
        ],
      }),
      lines: [`{"id":${MAX},"maybe":${MIN}}`, `{"id":${NEAR},"maybe":null}`, `{"id":-${NEAR},"maybe":7}`],
    },
    {
      kind: 'protobuf',
      file: 'row.proto',
      schema: 'syntax = "proto3"; message Row { int64 id = 1; uint64 count = 2; sfixed64 low = 3; }',
      lines: [
        `{"id":${MAX},"count":18446744073709551615,"low":${MIN}}`,
        `{"id":${NEAR},"count":${NEAR},"low":-${NEAR}}`,
        `{"id":5,"count":7,"low":-1}`,
      ],
    },
  ];

  it.each(cases)(
    '$kind: consume prints them with all their digits, and produce sends the same bytes again',
    async ({ file, schema, lines }) => {
      const dir = await mkdtemp(join(tmpdir(), 'schemawire-longs-'));
      try {
        const schemaPath = join(dir, file);
        await writeFile(schemaPath, schema);
        const [first, second] = await harness.topics(2);
        const subject = uniqueName('rows');
        expect((await cli(['register', schemaPath, '--subject', subject])).code).toBe(0);
        const produce = (topic: string, input: readonly string[]) =>
          cli(['produce', '--topic', topic, '--subject', subject], `${input.join('\n')}\n`);
        expect((await produce(first!, lines)).code).toBe(0);

        const read = await consumeAll(first!, lines.length);
        const values = read.stdout
          .trim()
          .split('\n')
          .map((line) => (parseJsonExactly(line) as { value: unknown }).value);
        expect(values).toEqual(lines.map((line) => parseJsonExactly(line)));
        expect(
          (
            await produce(
              second!,
              values.map((value) => stringifyJsonExactly(value)!),
            )
          ).code,
        ).toBe(0);
        const bytes = async (topic: string) =>
          (await harness.readRaw(topic, lines.length)).map((message) => message.value?.toString('hex'));
        expect(await bytes(second!)).toEqual(await bytes(first!));

        const texts = await consumeAll(first!, lines.length, '--longs', 'string');
        expect(texts.stdout).toContain(`"id":"${MAX}"`);
        expect(texts.stdout).not.toMatch(/"id":\d/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('cli > produce and consume > avro json forms', () => {
  it('consume prints dates, times, timestamps, decimals and bytes as text produce sends as the same bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'schemawire-json-forms-'));
    try {
      const schemaPath = join(dir, 'moment.avsc');
      await writeFile(
        schemaPath,
        JSON.stringify({
          type: 'record',
          name: 'Moment',
          fields: [
            { name: 'day', type: { type: 'int', logicalType: 'date' } },
            { name: 'alarm', type: { type: 'int', logicalType: 'time-millis' } },
            { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
            { name: 'atNanos', type: { type: 'long', logicalType: 'timestamp-nanos' } },
            { name: 'wall', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
            { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
            { name: 'blob', type: 'bytes' },
            { name: 'until', type: ['null', { type: 'int', logicalType: 'date' }] },
          ],
        }),
      );
      const lines = [
        '{"day":"2026-12-06","alarm":"07:30:00.000","at":"2026-12-06T10:11:12.123456Z","atNanos":"2026-12-06T10:11:12.123456789Z","wall":"2026-12-06T10:11:12.123","price":"-12.30","blob":"AQID","until":"2027-01-31"}',
        '{"day":"1969-12-31","alarm":"23:59:59.999","at":"1600-01-01T00:00:00.000001Z","atNanos":"1970-01-01T00:00:00.000000000Z","wall":"9999-12-31T23:59:59.999","price":"0.00","blob":"","until":null}',
      ];
      const [first, second] = await harness.topics(2);
      const subject = uniqueName('moments');
      expect((await cli(['register', schemaPath, '--subject', subject])).code).toBe(0);
      const produce = (topic: string, input: readonly string[]) =>
        cli(['produce', '--topic', topic, '--subject', subject], `${input.join('\n')}\n`);
      expect((await produce(first!, lines)).code).toBe(0);

      const printed = (await consumeAll(first!, lines.length)).stdout
        .trim()
        .split('\n')
        .map((line) => /"value":(\{.*\})\}$/.exec(line)![1]!);
      expect(printed).toEqual(lines);
      expect((await produce(second!, printed)).code).toBe(0);
      const bytes = async (topic: string) =>
        (await harness.readRaw(topic, lines.length)).map((message) => message.value?.toString('hex'));
      expect(await bytes(second!)).toEqual(await bytes(first!));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('produce refuses a field the schema does not have, naming it', async () => {
    const topic = await harness.topic();
    const run = await cli(
      ['produce', '--topic', topic, '--schema', schemaFile('user.avsc')],
      `${ndjson(USER)}${JSON.stringify({ ...USER, emial: 'x' })}\n`,
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(stderrLines(run).at(-1)).toMatch(
      /^error: cannot produce line 2: .*field "emial" is not in record "User".* \(the 1 message before it was sent\)$/,
    );
  });
});
