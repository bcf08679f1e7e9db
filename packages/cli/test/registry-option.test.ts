import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { withRegistryProperties } from '@schemawire/cli';
import { EmbeddedRegistry, startConfluentRestServer } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { errorLines, jsonLines, runCli, USER, userSchemaFile } from './support/cli-process.js';
import type { StubRegistry } from './support/stub-registry.js';
import { startStubRegistry } from './support/stub-registry.js';

describe('cli > registry option', () => {
  it('--kafka-config: the registry named in the client properties file, as Confluent names it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'schemawire-cli-config-'));
    const server = await startConfluentRestServer(new EmbeddedRegistry({ formats: [avroFormat()] }), {
      port: 0,
    });
    try {
      const config = join(dir, 'client.properties');
      await writeFile(config, `bootstrap.servers=localhost:9092\nschema.registry.url=${server.url}\n`);
      const registered = await runCli(
        ['register', userSchemaFile, '--subject', 'from-config-value', '--kafka-config', config],
        { cwd: dir },
      );
      expect(registered).toMatchObject({ code: 0, stderr: '' });
      // It went to the REST registry, not to an embedded one in the working folder.
      const listed = await fetch(`${server.url}/subjects`).then((response) => response.json());
      expect(listed).toEqual(['from-config-value']);
      expect(existsSync(join(dir, '.schemawire'))).toBe(false);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

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

describe('cli > registry option > credentials and api', () => {
  // Refuses everything, echoing the Authorization header back, as a careless proxy might.
  let stub: StubRegistry;
  const seen: { path: string; authorization: string | undefined }[] = [];
  beforeAll(async () => {
    stub = await startStubRegistry((_method, path, headers) => {
      seen.push({ path, authorization: headers.authorization });
      return [401, { error_code: 40101, message: `unauthorized: ${headers.authorization}` }];
    });
  });
  afterAll(() => stub.close());
  // A Confluent-framed payload naming schema id 1.
  const payload = Buffer.from([0, 0, 0, 0, 1, 2]).toString('base64');
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('--registry-auth: sends Basic auth and names the user, never the password, when refused', async () => {
    const run = await runCli(['decode', payload, '--registry', stub.url, '--registry-auth', 'alice:pa:ss']);
    expect(seen.at(-1)).toEqual({ path: '/schemas/ids/1', authorization: basic('alice:pa:ss') });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain('the registry did not accept the credentials, sent as user "alice"');
    expect(run.stderr).not.toContain('pa:ss');
    expect(run.stderr).not.toContain(Buffer.from('alice:pa:ss').toString('base64'));
  });

  it('SCHEMA_REGISTRY_TOKEN and SCHEMA_REGISTRY_AUTH: read when the options are absent', async () => {
    const token = await runCli(['decode', payload, '--registry', stub.url], {
      env: { SCHEMA_REGISTRY_TOKEN: 'tok-9' },
    });
    expect(seen.at(-1)!.authorization).toBe('Bearer tok-9');
    expect(token.stderr).toContain('sent with a bearer token');
    expect(token.stderr).not.toContain('tok-9');
    await runCli(['decode', payload, '--registry', stub.url], { env: { SCHEMA_REGISTRY_AUTH: 'bob:pw' } });
    expect(seen.at(-1)!.authorization).toBe(basic('bob:pw'));
  });

  it('refuses both kinds of credentials, a USER:PASS without a colon, and a cert without its key', async () => {
    for (const args of [
      ['--registry-auth', 'alice:pw', '--registry-token', 'tok'],
      ['--registry-auth', 'alice-pw'],
      ['--registry-cert', userSchemaFile],
      ['--registry-ca', 'no-such-ca.pem'],
      ['--registry-api', 'karapace'],
    ]) {
      const run = await runCli(['decode', payload, '--registry', stub.url, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toContain('alice-pw');
    }
  });

  it('refuses a REST registry option without a registry URL, instead of using the embedded one', async () => {
    const run = await runCli(['decode', payload, '--registry-token', 'tok-7']);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot open registry: --registry-token needs --registry (or SCHEMA_REGISTRY_URL)',
    );
  });

  it('--registry-api: native Apicurio paths for a /apis/registry/v3 URL, or when named', async () => {
    // The native API finds a contentId's versions by a search, where the Confluent one has /schemas/ids.
    await runCli(['decode', payload, '--registry', `${stub.url}/apis/registry/v3`]);
    expect(seen.at(-1)!.path).toMatch(/^\/apis\/registry\/v3\/search\/versions\?contentId=1&/);
    await runCli(['decode', payload, '--registry', `${stub.url}/native`, '--registry-api', 'apicurio']);
    expect(seen.at(-1)!.path).toMatch(/^\/native\/search\/versions\?contentId=1&/);
    await runCli([
      'decode',
      payload,
      '--registry',
      `${stub.url}/apis/registry/v3`,
      '--registry-api',
      'confluent',
    ]);
    expect(seen.at(-1)!.path).toBe('/apis/registry/v3/schemas/ids/1');
  });
});

describe('cli > registry option > confluent properties', () => {
  const properties = {
    'schema.registry.url': 'https://registry:8081',
    'basic.auth.user.info': 'alice:pw',
    'schema.registry.ssl.ca.location': 'ca.pem',
    'schema.registry.ssl.certificate.location': 'client.pem',
    'schema.registry.ssl.key.location': 'client.key',
    'bootstrap.servers': 'kafka:9092',
  };

  it('fills the options the command line leaves out, and no others', () => {
    expect(withRegistryProperties({ 'registry-ca': 'mine.pem' }, properties)).toEqual({
      registry: 'https://registry:8081',
      'registry-auth': 'alice:pw',
      'registry-ca': 'mine.pem',
      'registry-cert': 'client.pem',
      'registry-key': 'client.key',
    });
  });

  it('takes credentials from the command line alone when it gives any', () => {
    const merged = withRegistryProperties({ 'registry-token': 'tok' }, properties);
    expect(merged['registry-token']).toBe('tok');
    expect(merged['registry-auth']).toBeUndefined();
    expect(withRegistryProperties({}, { 'bearer.auth.token': 't' })).toEqual({ 'registry-token': 't' });
  });
});
