/**
 * The top-level docker-compose.yml, as a developer uses it: brought up, waited on through its health
 * checks (what `up --wait` does), used by schemawire to send and read one schema-tagged message, torn
 * down. Image names come from the same environment as the suites.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Deserializer, SchemaResolver, Serializer } from '@schemawire/core-client';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../support/free-port.js';
import { waitUntil } from '../support/wait-until.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const project = `schemawire-smoke-${randomUUID().slice(0, 8)}`;
let env: NodeJS.ProcessEnv;
let compose: (...args: string[]) => Promise<{ stdout: string }>;
/** How each service's health stood when both were first healthy, and whether the registry answered then. */
let healthy: { readonly kafka: string; readonly registry: string; readonly registryAnswered: boolean };
let brokers: string[];
let registryUrl: string;

beforeAll(async () => {
  const [kafkaPort, registryPort] = [await freePort(), await freePort()];
  env = {
    ...process.env,
    SCHEMAWIRE_KAFKA_PORT: String(kafkaPort),
    SCHEMAWIRE_REGISTRY_PORT: String(registryPort),
  };
  // Compose v2 is a docker plugin; v1 (Debian's docker-compose) a command of its own. Either will do.
  const v2 = await run('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  compose = (...args) =>
    v2
      ? run('docker', ['compose', '-p', project, ...args], { cwd: root, env })
      : run('docker-compose', ['-p', project, ...args], { cwd: root, env });
  await compose('up', '-d');
  brokers = [`localhost:${kafkaPort}`];
  registryUrl = `http://localhost:${registryPort}/apis/ccompat/v7`;
  // Compose v1 has no `up --wait`: the health status it would wait on is read as it does.
  const health = async (service: string) => {
    const id = (await compose('ps', '-q', service)).stdout.trim();
    const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Health.Status}}', id]);
    return stdout.trim();
  };
  await waitUntil(
    'the compose services to be healthy',
    async () => (await health('kafka')) === 'healthy' && (await health('registry')) === 'healthy',
    150_000,
  );
  const answered = await fetch(`${registryUrl}/subjects`).then(
    (response) => response.ok,
    () => false,
  );
  healthy = { kafka: await health('kafka'), registry: await health('registry'), registryAnswered: answered };
}, 240_000);

afterAll(async () => {
  await compose?.('down', '-v', '--remove-orphans');
}, 120_000);

describe('docker compose > smoke', () => {
  it('reports both services healthy only once the registry answers', () => {
    expect(healthy).toEqual({ kafka: 'healthy', registry: 'healthy', registryAnswered: true });
  });

  it('carries an Avro user from a schemawire serializer to a schemawire deserializer', async () => {
    const topic = `compose-${randomUUID()}`;
    const resolver = new SchemaResolver(new ConfluentRestClient({ baseUrl: registryUrl }));
    const schema = readFileSync(new URL('../../schemas/user.avsc', import.meta.url), 'utf8');
    const serializer = new Serializer({
      registry: resolver,
      formats: [avroFormat()],
      schema: { schemaType: 'AVRO', schema },
    });
    const user = { first_name: 'John', last_name: 'Doe', age: 30 };
    const { bytes } = await serializer.serialize(topic, user);

    const kafka = new Kafka({ brokers, clientId: 'compose-smoke', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: bytes }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `compose-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const deserializer = new Deserializer({ registry: resolver, formats: [avroFormat()] });
    const received = new Promise<unknown>((resolve, reject) => {
      consumer
        .run({ eachMessage: async ({ message }) => resolve(await deserializer.deserialize(message)) })
        .catch(reject);
    });
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('no message within 30 s')), 30_000),
    );
    try {
      expect(await Promise.race([received, timeout])).toMatchObject({
        schemaType: 'AVRO',
        carrier: 'prefix',
        value: user,
      });
    } finally {
      await consumer.disconnect();
    }
  }, 90_000);
});
