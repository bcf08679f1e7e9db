/**
 * startStack as a user's suite calls it (per file, beside the run's global stack): both containers up,
 * a schemas folder registered, the native Apicurio API selected, a broker that takes a message, and a
 * stop that really stops.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from '@schemawire/testcontainers';
import { startStack } from '@schemawire/testcontainers';
import { Kafka, logLevel } from 'kafkajs';

const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ schemasDir, registryApi: 'apicurio' });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('testcontainers > start stack', () => {
  it('registers every schema file of the folder under its file name', async () => {
    const user = stack.registered.find((entry) => entry.subject === 'user');
    expect(user?.schema).toMatchObject({ schemaType: 'AVRO', version: 1 });
    expect(user?.schema.globalId).toBeGreaterThan(0);
    const fetched = await stack.registry.getVersion('user', 'latest');
    expect(JSON.parse(fetched.schema)).toMatchObject({ name: 'User' });
  });

  it('gives a client of the chosen API and the URLs of both', async () => {
    expect(stack.registryUrl).toBe(stack.apicurioApiUrl);
    expect(stack.apicurioApiUrl).toMatch(/\/apis\/registry\/v3$/);
    const subjects = await (await fetch(`${stack.confluentApiUrl}/subjects`)).json();
    expect(subjects).toContain('user');
  });

  it('has a broker that takes and returns a message', async () => {
    const kafka = new Kafka({
      brokers: [...stack.brokers],
      clientId: 'stack-test',
      logLevel: logLevel.NOTHING,
    });
    const topic = `stack-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
      const producer = kafka.producer();
      await producer.connect();
      const [sent] = await producer.send({ topic, messages: [{ value: 'hello' }] });
      await producer.disconnect();
      expect(sent?.errorCode).toBe(0);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets[0]?.high).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });
});

describe('testcontainers > stop', () => {
  it('stops both containers', async () => {
    const other = await startStack();
    const registryUrl = other.confluentApiUrl;
    expect((await fetch(`${registryUrl}/subjects`)).ok).toBe(true);
    await other.stop();
    await expect(fetch(`${registryUrl}/subjects`)).rejects.toThrow();
  }, 180_000);
});
