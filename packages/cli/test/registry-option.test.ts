import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmbeddedRegistry, startConfluentRestServer } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { errorLines, jsonLines, runCli, USER, userSchemaFile } from './support/cli-process.js';

describe('cli > registry option', () => {
  describe('cli > registry option > confluent rest', () => {
    let dir: string;
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'schemawire-cli-rest-'));
      server = await startConfluentRestServer(new EmbeddedRegistry({ formats: [avroFormat()], dir }), {
        port: 0,
      });
    });
    afterAll(async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('--registry: registers, encodes and decodes through the REST API', async () => {
      const registered = await runCli([
        'register',
        userSchemaFile,
        '--subject',
        'rest-value',
        '--registry',
        server.url,
      ]);
      expect(registered).toMatchObject({ code: 0, stderr: '' });
      const [result] = jsonLines(registered) as { id: number; version: number }[];
      expect(result!.version).toBe(1);
      const again = await runCli([
        'register',
        userSchemaFile,
        '--subject',
        'rest-value',
        '--registry',
        server.url,
      ]);
      expect(jsonLines(again)).toEqual(jsonLines(registered));
      const encoded = await runCli([
        'encode',
        '--subject',
        'rest-value',
        JSON.stringify(USER),
        '--registry',
        server.url,
      ]);
      expect(encoded.code).toBe(0);
      const decoded = await runCli(['decode', encoded.stdout.trim(), '--registry', server.url]);
      expect(jsonLines(decoded)).toEqual([
        { schemaId: result!.id, schemaType: 'AVRO', subject: 'rest-value', value: USER },
      ]);
    });

    it('SCHEMA_REGISTRY_URL: used when there is no --registry', async () => {
      const env = { SCHEMA_REGISTRY_URL: server.url };
      const registered = await runCli(['register', userSchemaFile, '--subject', 'env-value'], { env });
      expect(registered.code).toBe(0);
      const check = await runCli(['check', userSchemaFile, '--subject', 'env-value'], { env });
      expect(jsonLines(check)).toEqual([{ compatible: true, messages: [] }]);
    });
  });

  it('never prints the credentials of a registry URL', async () => {
    const run = await runCli(['register', userSchemaFile, '--registry', 'http://alice:s3cret@127.0.0.1:1/']);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).not.toContain('s3cret');
  });

  it('rejects a registry that is not a URL as a usage error', async () => {
    const run = await runCli(['register', userSchemaFile, '--registry', 'not a url']);
    expect(run.code).toBe(2);
  });

  it('keeps the embedded registry in .schemawire/registry under the working directory by default', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'schemawire-cli-default-'));
    try {
      const run = await runCli(['register', userSchemaFile], { cwd });
      expect(run.code).toBe(0);
      expect(existsSync(join(cwd, '.schemawire/registry'))).toBe(true);
      const again = await runCli(['register', userSchemaFile], { cwd });
      expect(jsonLines(again)).toEqual(jsonLines(run));
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
