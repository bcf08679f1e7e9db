/**
 * The built `schemawire produce` with `--client platformatic` against the real broker and registry:
 * the same input lines write the same bytes as with kafkajs, for Avro, Protobuf and JSON Schema
 * values, and `consume` reads them back as they were written.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import { ndjson, printed, runCli, stderrLines } from '../support/cli-runner.js';
import { schemaFile } from '../support/example-schemas.js';
import { KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };

// Each test runs the CLI four times, a second or so each.
jest.setTimeout(60_000);

const harness = new KafkaHarness();

beforeAll(() => harness.start());

afterAll(() => harness.close());

const cli = (args: readonly string[], input = '') => runCli(harness, args, { input });

/** What a message is on the topic: the bytes of its key, value and headers, and its place. */
const bytesOf = ({ key, value, headers, offset }: KafkaMessage) => ({
  offset,
  key: key?.toString('hex') ?? null,
  value: value?.toString('hex') ?? null,
  headers: Object.fromEntries(Object.entries(headers ?? {}).map(([name, v]) => [name, String(v)])),
});

const formats = [
  { name: 'avro', schema: ['--schema', schemaFile('user.avsc')], values: [USER, { ...USER, age: 31 }] },
  {
    name: 'protobuf',
    schema: ['--schema', schemaFile('my_message.proto'), '--message', 'io.schemawire.example.MyMessage'],
    values: [MY_MESSAGE, { ...MY_MESSAGE, id: 2 }],
  },
  {
    name: 'json schema',
    schema: ['--schema', schemaFile('my_json_message.json')],
    values: [MY_MESSAGE, { ...MY_MESSAGE, id: 2 }],
  },
];

describe('cli > produce > --client platformatic', () => {
  it.each(formats)(
    '$name: the same bytes on the topic as kafkajs writes, read back as written',
    async ({ schema, values }) => {
      const [byKafkajs, byPlatformatic] = await harness.topics(2);
      // One subject for both, so both write with the same schema id.
      const subject = uniqueName('client-value');
      const lines = ndjson(
        ...values.map((value, i) => ({ key: `k${i}`, value, headers: { origin: 'shop' } })),
      );
      const produce = (topic: string, client: string) =>
        cli(['produce', '--topic', topic, '--subject', subject, ...schema, '--client', client], lines);

      expect((await produce(byKafkajs!, 'kafkajs')).code).toBe(0);
      const sent = await produce(byPlatformatic!, 'platformatic');
      expect(sent.code).toBe(0);
      expect(printed(sent)).toEqual([
        { topic: byPlatformatic, messages: 2, seconds: expect.any(Number), perSecond: expect.any(Number) },
      ]);
      expect(stderrLines(sent)).toEqual([
        `sent 2 messages (lines 1-2) to "${byPlatformatic}": partition 0 offsets 0-1`,
      ]);
      const written = (await harness.readRaw(byPlatformatic!, 2)).map(bytesOf);
      expect(written).toEqual((await harness.readRaw(byKafkajs!, 2)).map(bytesOf));
      expect(written.map(({ key }) => key)).toEqual(['6b30', '6b31']);

      const read = await cli([
        'consume',
        '--topic',
        byPlatformatic!,
        '--from-beginning',
        '--max-messages',
        '2',
      ]);
      expect(read.stderr).not.toContain('error:');
      expect(read.code).toBe(0);
      expect(
        printed(read).map(({ offset, key, headers, value }) => ({ offset, key, headers, value })),
      ).toEqual(
        values.map((value, i) => ({ offset: String(i), key: `k${i}`, headers: { origin: 'shop' }, value })),
      );
    },
  );
});
