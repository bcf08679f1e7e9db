/**
 * The CLI and the library through a broker whose client listener is SASL_SSL (SCRAM-SHA-512 over TLS,
 * a CA made for the run), with the shared plain registry: every schema format gets through with the
 * right settings, a wrong password or CA fails in one line within seconds, and no password is ever
 * printed.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { SchemaEachMessagePayload } from '@schemawire/kafkajs';
import { connectRefusal, isRetriableKafkaError, SchemaConsumer, SchemaProducer } from '@schemawire/kafkajs';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import type { StartedKafka, TestCertificates } from '@schemawire/testcontainers';
import { createTestCertificates, resolveImages, startKafka } from '@schemawire/testcontainers';
import type { KafkaConfig } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { schemaFile } from '../support/example-schemas.js';
import { formatCases } from '../support/format-cases.js';
import { testServices, uniqueName } from '../support/kafka-harness.js';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };
const WRONG_PASSWORD = 'not-alice-secret-4711';

// The secured broker starts in about 15 s on a shared machine.
jest.setTimeout(120_000);

const { registryUrl } = testServices();
let kafka: StartedKafka;
let otherCa: TestCertificates;
let password: string;
/** Everything any run printed, checked for the password at the end. */
const printed: string[] = [];

beforeAll(async () => {
  kafka = await startKafka({ image: resolveImages({}).kafkaImage, security: 'sasl_ssl' });
  password = kafka.security!.password;
  otherCa = await createTestCertificates();
});

afterAll(async () => {
  await kafka?.stop();
  if (otherCa !== undefined) await rm(otherCa.dir, { recursive: true, force: true });
});

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the built CLI with no Kafka or registry settings in its environment. */
function cli(args: readonly string[], input = ''): Promise<CliRun> {
  const env = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'SCHEMAWIRE_KAFKA_CONFIG']) delete env[name];
  const started = Date.now();
  return new Promise((done) => {
    const child = execFile(process.execPath, [mainJs, ...args], { env }, (error, stdout, stderr) => {
      printed.push(stdout, stderr);
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin?.end(input);
  });
}

function client(overrides: Partial<KafkaConfig> = {}): Kafka {
  const { ssl, sasl } = kafka.security!;
  return new Kafka({
    clientId: uniqueName('schemawire-it'),
    brokers: [...kafka.brokers],
    ssl,
    sasl,
    logLevel: logLevel.NOTHING,
    ...overrides,
  });
}

async function createTopic(): Promise<string> {
  const topic = uniqueName('secured');
  const admin = client().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('kafka security > sasl_ssl > cli', () => {
  const cases = [
    { name: 'avro', schema: ['--schema', schemaFile('user.avsc')], value: USER, type: 'AVRO' },
    {
      name: 'protobuf',
      schema: ['--schema', schemaFile('my_message.proto'), '--message', 'io.schemawire.example.MyMessage'],
      value: MY_MESSAGE,
      type: 'PROTOBUF',
    },
    {
      name: 'json schema',
      schema: ['--schema', schemaFile('my_json_message.json')],
      value: MY_MESSAGE,
      type: 'JSON',
    },
  ];

  it.each(cases)('$name: produces and consumes with --kafka-config', async ({ schema, value, type }) => {
    const topic = await createTopic();
    const config = ['--kafka-config', kafka.security!.propertiesFile, '--registry', registryUrl];
    const produced = await cli(
      ['produce', ...config, '--topic', topic, ...schema],
      `${JSON.stringify(value)}\n`,
    );
    expect(produced.stderr).not.toMatch(/error/);
    expect(produced).toMatchObject({ code: 0 });
    expect(JSON.parse(produced.stdout)).toMatchObject({ topic, messages: 1 });
    const consumed = await cli([
      'consume',
      ...config,
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '1',
    ]);
    expect(consumed.code).toBe(0);
    expect(JSON.parse(consumed.stdout)).toMatchObject({ topic, schemaType: type, value });
  });

  it('-X settings win over the file, and bootstrap.servers comes from it', async () => {
    const topic = await createTopic();
    // A file without credentials: they come from -X, as a script that keeps them elsewhere does.
    const base = [
      '--kafka-config',
      kafka.security!.propertiesFile,
      '-X',
      'sasl.username=alice',
      '-X',
      `sasl.password=${password}`,
      '--registry',
      registryUrl,
    ];
    const produced = await cli(['produce', ...base, '--topic', topic, '--format', 'json'], '{"n":1}\n');
    expect(produced.code).toBe(0);
    const failed = await cli(
      ['produce', ...base, '-X', `sasl.password=${WRONG_PASSWORD}`, '--topic', topic, '--format', 'json'],
      '{"n":2}\n',
    );
    expect(failed.code).toBe(1);
  });

  it('a wrong password is one line within seconds, for produce and consume', async () => {
    const topic = await createTopic();
    const wrong = ['--kafka-config', kafka.security!.propertiesFile, '-X', `sasl.password=${WRONG_PASSWORD}`];
    const runs = [
      await cli(['produce', ...wrong, '--topic', topic, '--format', 'json'], '{"n":1}\n'),
      await cli(['consume', ...wrong, '--registry', registryUrl, '--topic', topic, '--timeout-ms', '1000']),
    ];
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        `error: cannot connect to Kafka at ${kafka.brokers[0]}: SASL authentication failed for user "alice"`,
      ]);
      expect(run.ms).toBeLessThan(5_000);
      expect(run.stderr).not.toContain(WRONG_PASSWORD);
    }
  });

  it('a CA that did not sign the broker certificate names ssl.ca.location', async () => {
    const topic = await createTopic();
    const run = await cli(
      [
        'produce',
        '--kafka-config',
        kafka.security!.propertiesFile,
        '-X',
        `ssl.ca.location=${otherCa.caFile}`,
      ].concat(['--topic', topic, '--format', 'json']),
      '{"n":1}\n',
    );
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      `error: cannot connect to Kafka at ${kafka.brokers[0]}: TLS failed: unable to verify the first certificate (the broker's certificate is not signed by the CA of ssl.ca.location)`,
    ]);
    expect(run.ms).toBeLessThan(5_000);
  });
});

describe('kafka security > sasl_ssl > library', () => {
  it.each(formatCases)('$name: SchemaProducer and SchemaConsumer get through', async ({ format, userV1 }) => {
    const topic = await createTopic();
    const registry = new ConfluentRestClient({ baseUrl: registryUrl });
    const secured = client();
    const producer = new SchemaProducer(secured, {
      value: new Serializer({ registry, formats: [format], schema: userV1, autoRegister: true }),
    });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: 'k', value: USER }] });
    } finally {
      await producer.disconnect();
    }
    const consumer = new SchemaConsumer(
      secured.consumer({ groupId: uniqueName('group'), maxWaitTimeInMs: 100 }),
      {
        value: new Deserializer({ registry, formats: [format] }),
      },
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const read = new Promise<SchemaEachMessagePayload>((resolve) => {
      void consumer.run({ eachMessage: async (payload) => resolve(payload) });
    });
    try {
      expect((await read).decoded.value).toMatchObject(USER);
    } finally {
      await consumer.disconnect();
    }
  });

  it('a wrong password fails connect at once, not retriable', async () => {
    const registry = new ConfluentRestClient({ baseUrl: registryUrl });
    const producer = new SchemaProducer(
      client({ sasl: { mechanism: 'scram-sha-512', username: 'alice', password: WRONG_PASSWORD } }),
      {
        value: new Serializer({
          registry,
          formats: [formatCases[0]!.format],
          schema: formatCases[0]!.userV1,
        }),
      },
    );
    const started = Date.now();
    const failure = await producer.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(connectRefusal(failure)).toMatchObject({ kind: 'authentication' });
    expect(isRetriableKafkaError(failure)).toBe(false);
    expect(String((failure as Error).message)).not.toContain(WRONG_PASSWORD);
  });
});

describe('kafka security > sasl_ssl > library tls', () => {
  it('a CA that did not sign the broker certificate fails connect after kafkajs tries, not retried again', async () => {
    const registry = new ConfluentRestClient({ baseUrl: registryUrl });
    const producer = new SchemaProducer(client({ ssl: { ca: [otherCa.ca] } }), {
      value: new Serializer({ registry, formats: [formatCases[0]!.format], schema: formatCases[0]!.userV1 }),
    });
    const started = Date.now();
    const failure = await producer.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    // kafkajs's own retries take about 9 s; the producer's connect loop would go on to its 120 s.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(connectRefusal(failure)).toMatchObject({ kind: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(isRetriableKafkaError(failure)).toBe(false);
  });
});

describe('kafka security > sasl_ssl > secrets', () => {
  it('no run printed the password', () => {
    expect(printed.length).toBeGreaterThan(0);
    for (const output of printed) {
      expect(output).not.toContain(password);
      expect(output).not.toContain(WRONG_PASSWORD);
    }
  });
});
