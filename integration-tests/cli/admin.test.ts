/**
 * The built CLI's registry and topic administration against the real registry (Apicurio, through its
 * Confluent-compatible API and its native one) and the real broker: subjects, versions, schema,
 * delete, config, check's local reasons, topics and topic create/describe/delete.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConfigResourceTypes } from 'kafkajs';
import { schemaFile, userSchemaWith } from '../support/example-schemas.js';
import { KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const userFile = schemaFile('user.avsc');

jest.setTimeout(60_000);

const harness = new KafkaHarness();
let dir: string;

beforeAll(async () => {
  await harness.start();
  dir = await mkdtemp(join(tmpdir(), 'schemawire-admin-'));
});

afterAll(async () => {
  await harness.close();
  await rm(dir, { recursive: true, force: true });
});

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with the broker and `registry` in its environment. */
function cli(args: readonly string[], registry = harness.services.registryUrl): Promise<CliRun> {
  const env = {
    ...process.env,
    KAFKA_BROKERS: harness.services.brokers.join(','),
    SCHEMA_REGISTRY_URL: registry,
  };
  return new Promise((done) => {
    execFile(process.execPath, [mainJs, ...args], { env }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const lines = (run: CliRun) =>
  run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/**
 * Where the two APIs answer differently: deleting a subject through ccompat reports the versions
 * soft-deleted before too; the native API is set up (as by default) to refuse deleting an artifact;
 * ccompat answers an incompatible schema with no reasons, the native API with the rule's causes.
 */
const APIS = [
  {
    api: 'Confluent-compatible API',
    url: () => harness.services.registryUrl,
    subjectDeleteReports: [1, 2],
    permanentSubjectDelete: 'allowed',
    reasons: 'local',
  },
  {
    api: 'native API',
    url: () => harness.services.apicurioUrl,
    subjectDeleteReports: [1],
    permanentSubjectDelete: 'not enabled',
    reasons: 'registry',
  },
] as const;

describe.each(APIS)('cli > registry administration > Apicurio, $api', (api) => {
  const { url } = api;
  it('subjects, versions, schema, config and delete, soft then permanent', async () => {
    const prefix = uniqueName('admin');
    const subject = `${prefix}-user`;
    const run = (...args: string[]) => cli(args, url());
    expect((await run('register', userFile, '--subject', subject)).code).toBe(0);
    expect((await run('register', userFile, '--subject', `${prefix}-other`)).code).toBe(0);
    const v2 = await file(
      `${prefix}.avsc`,
      userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
    );
    expect((await run('register', v2, '--subject', subject)).code).toBe(0);

    expect(lines(await run('subjects', '--prefix', prefix))).toEqual([
      { subject: `${prefix}-other` },
      { subject },
    ]);

    const versions = lines(await run('versions', subject));
    expect(versions.map(({ version }) => version)).toEqual([1, 2]);
    const v2Id = versions[1]!['id'] as number;

    const latest = await run('schema', subject);
    expect(latest).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(latest.stdout)).toEqual(
      JSON.parse(userSchemaWith({ name: 'email', type: ['null', 'string'], default: null })),
    );
    const byId = lines(await run('schema', '--id', String(v2Id), '--json'))[0]!;
    expect(byId).toMatchObject({ id: v2Id, schemaType: 'AVRO', references: [] });
    expect(JSON.parse(byId['schema'] as string)).toEqual(JSON.parse(latest.stdout));

    const misspelt = await run('versions', `${prefix}-usr`);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toContain(`(did you mean ${JSON.stringify(subject)}?)`);

    expect(lines(await run('config', subject, '--set', 'forward'))).toEqual([
      { subject, compatibility: 'FORWARD' },
    ]);
    expect(lines(await run('config', subject))).toEqual([{ subject, compatibility: 'FORWARD' }]);

    expect(lines(await run('delete', subject, '--version', '2'))).toEqual([
      { subject, versions: [2], permanent: false },
    ]);
    expect(lines(await run('versions', subject)).map(({ version }) => version)).toEqual([1]);
    expect(lines(await run('delete', subject))).toEqual([
      { subject, versions: api.subjectDeleteReports, permanent: false },
    ]);
    expect(lines(await run('subjects', '--prefix', prefix))).toEqual([{ subject: `${prefix}-other` }]);
    expect(lines(await run('subjects', '--prefix', prefix, '--deleted'))).toEqual([
      { subject: `${prefix}-other`, deleted: false },
      { subject, deleted: true },
    ]);
    const hard = await run('delete', subject, '--permanent');
    if (api.permanentSubjectDelete === 'not enabled') {
      expect(hard).toMatchObject({ code: 1, stdout: '' });
      expect(hard.stderr).toContain('Artifact deletion operation is not enabled');
      return;
    }
    expect(hard).toMatchObject({ code: 0, stderr: '' });
    expect(lines(hard)).toEqual([{ subject, versions: [1, 2], permanent: true }]);
    expect(lines(await run('subjects', '--prefix', prefix, '--deleted'))).toEqual([
      { subject: `${prefix}-other`, deleted: false },
    ]);
  });

  // Measured before, through ccompat: {"compatible":false,"messages":[]}, the registry's answer.
  it("check of an incompatible schema prints the reasons: the registry's, else local ones marked so", async () => {
    const subject = uniqueName('admin-check');
    const run = (...args: string[]) => cli(args, url());
    expect((await run('register', userFile, '--subject', subject)).code).toBe(0);
    expect((await run('config', subject, '--set', 'BACKWARD')).code).toBe(0);
    const breaking = await file(`${subject}.avsc`, userSchemaWith({ name: 'email', type: 'string' }));
    const checked = await run('check', breaking, '--subject', subject);
    expect(checked).toMatchObject({ code: 1, stderr: '' });
    expect(lines(checked)).toEqual([
      api.reasons === 'local'
        ? {
            compatible: false,
            messages: [
              'backward: new schema cannot read data written with version 1: field "email" has no default and the writer schema does not have it',
            ],
            local: true,
          }
        : { compatible: false, messages: [expect.stringContaining('email')] },
    ]);
  });
});

describe('cli > topics', () => {
  it('create, list, describe with end offsets, refuse to create again, delete', async () => {
    const topic = uniqueName('admin-topic');
    const created = await cli([
      'topic',
      'create',
      topic,
      '--partitions',
      '3',
      '--replication-factor',
      '1',
      '--config',
      'cleanup.policy=compact',
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(lines(created)).toEqual([{ topic, partitions: 3, replicationFactor: 1, created: true }]);
    const [config] = (
      await harness.admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      })
    ).resources;
    expect(config!.configEntries).toEqual([
      expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact' }),
    ]);

    const again = await cli(['topic', 'create', topic, '--partitions', '3']);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe(`error: cannot create topic ${JSON.stringify(topic)}: it exists already\n`);

    const listed = lines(await cli(['topics']));
    expect(listed).toContainEqual({ topic, partitions: 3, replicationFactor: 1 });

    const producer = await harness.producer();
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: '1', partition: 1 },
        { key: 'b', value: '2', partition: 1 },
        { key: 'c', value: '3', partition: 2 },
      ],
    });
    const described = await cli(['topic', 'describe', topic]);
    expect(described).toMatchObject({ code: 0, stderr: '' });
    const partitions = lines(described);
    expect(
      partitions.map(({ partition, earliestOffset, endOffset }) => [partition, earliestOffset, endOffset]),
    ).toEqual([
      [0, '0', '0'],
      [1, '0', '2'],
      [2, '0', '1'],
    ]);
    for (const partition of partitions) {
      expect(partition).toMatchObject({ topic, leader: expect.any(Number) });
      expect(partition['replicas']).toEqual([partition['leader']]);
      expect(partition['isr']).toEqual([partition['leader']]);
    }

    const misspelt = await cli(['topic', 'describe', `${topic}x`]);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toContain(`no such topic (did you mean ${JSON.stringify(topic)}?)`);

    expect(lines(await cli(['topic', 'delete', topic]))).toEqual([{ topic, deleted: true }]);
    const gone = await cli(['topic', 'describe', topic]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no such topic');
  });
});
