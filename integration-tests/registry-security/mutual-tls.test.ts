/**
 * The registry clients and the built CLI against Apicurio Registry served over HTTPS only, asking every
 * client for a certificate signed by a CA made for this run: both APIs through mTLS, and the errors of
 * an untrusted registry, a missing client certificate and a refused one, with no key text in them.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { SchemaWireError } from '@schemawire/core-client';
import { Deserializer, ErrorCode, Serializer } from '@schemawire/core-client';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { StartedSchemaRegistry, TestCertificates } from '@schemawire/testcontainers';
import { createTestCertificates, resolveImages, startSchemaRegistry } from '@schemawire/testcontainers';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const userSchemaFile = fileURLToPath(new URL('../../schemas/user.avsc', import.meta.url));
const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const SCHEMA = {
  schemaType: 'AVRO' as const,
  schema: JSON.stringify({
    type: 'record',
    name: 'Point',
    fields: [
      { name: 'x', type: 'int' },
      { name: 'y', type: 'int' },
    ],
  }),
};

// The registry starts in about half a minute; each CLI run takes a second or so.
jest.setTimeout(180_000);

let registry: StartedSchemaRegistry;
let pem: TestCertificates;
// Certificates of another CA: one the registry never signed nor trusts.
let stranger: TestCertificates;

beforeAll(async () => {
  const { registryImage } = resolveImages({});
  [registry, stranger] = await Promise.all([
    startSchemaRegistry({ image: registryImage, tls: { mutual: true } }),
    createTestCertificates(),
  ]);
  pem = registry.tls!;
});

afterAll(async () => {
  await registry?.stop();
  await stranger?.remove();
});

const subject = (name: string) => `${name}-${randomUUID()}`;

/** Lines of a key's PEM body: none may ever be printed. */
function keyLines(...keys: string[]): string[] {
  return keys.flatMap((key) => key.split('\n').filter((line) => line !== '' && !line.startsWith('-----')));
}

function expectNoSecret(text: string): void {
  for (const line of keyLines(pem.key, stranger.key, pem.server.key)) expect(text).not.toContain(line);
}

async function failure(promise: Promise<unknown>): Promise<SchemaWireError> {
  try {
    await promise;
  } catch (error) {
    return error as SchemaWireError;
  }
  throw new Error('expected a rejection');
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [mainJs, ...args], (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
    child.stdin?.end();
  });
}

const mtlsArgs = () => [
  '--registry-ca',
  pem.caFile,
  '--registry-cert',
  pem.certFile,
  '--registry-key',
  pem.keyFile,
];

describe('registry security > mutual tls > library', () => {
  it('registers and reads back through both APIs with tls.ca, tls.cert and tls.key', async () => {
    const tls = { ca: pem.ca, cert: pem.cert, key: pem.key };
    const apicurio = new ApicurioRestClient({ baseUrl: registry.apicurioApiUrl, tls });
    const name = subject('mtls-native');
    const registered = await apicurio.register(name, SCHEMA);
    expect(registered).toMatchObject({ subject: name, version: 1 });
    expect(await apicurio.getSchema({ kind: 'globalId', globalId: registered.globalId! })).toMatchObject({
      schema: SCHEMA.schema,
      id: registered.id,
    });
    const confluent = new ConfluentRestClient({ baseUrl: registry.confluentApiUrl, tls });
    expect(await confluent.getSchema({ kind: 'id', id: registered.id })).toMatchObject({
      schema: SCHEMA.schema,
    });
  });

  it('writes and reads the apicurio globalId header through mTLS', async () => {
    const client = new ApicurioRestClient({
      baseUrl: registry.apicurioApiUrl,
      tls: { ca: Buffer.from(pem.ca), cert: Buffer.from(pem.cert), key: Buffer.from(pem.key) },
    });
    const name = subject('mtls-global');
    const serializer = new Serializer({
      registry: client,
      formats: [avroFormat()],
      schema: SCHEMA,
      autoRegister: true,
      carrier: 'apicurio-header',
      apicurioId: 'globalId',
      subjectNameStrategy: () => name,
    });
    const payload = await serializer.serialize('points', { x: 1, y: 2 });
    expect(Object.keys(payload.headers ?? {})).toEqual(['apicurio.value.globalId']);
    const deserializer = new Deserializer({ registry: client, formats: [avroFormat()] });
    const decoded = await deserializer.deserialize({
      value: payload.bytes!,
      ...(payload.headers === undefined ? {} : { headers: payload.headers }),
      topic: 'points',
    });
    expect(decoded).toMatchObject({ value: { x: 1, y: 2 } });
  });

  it('an untrusted registry: not retried, naming the CA option', async () => {
    const client = new ApicurioRestClient({
      baseUrl: registry.apicurioApiUrl,
      tls: { ca: stranger.ca, cert: pem.cert, key: pem.key },
      retries: 3,
    });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
    expect(error.message).toMatch(
      /^cannot connect to registry securely: GET \/search\/versions: the registry's certificate is not trusted \([A-Z_]+\): give the CA that signed it \(tls\.ca \/ --registry-ca\)$/,
    );
  });

  it('no client certificate: says the registry asked for one, not retried', async () => {
    const client = new ConfluentRestClient({
      baseUrl: registry.confluentApiUrl,
      tls: { ca: pem.ca },
      retries: 3,
    });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
    expect(error.message).toMatch(
      /^cannot connect to registry securely: GET \/subjects: the registry asked for a client certificate \([A-Za-z_/0-9]+\): give --registry-cert and --registry-key \(tls\.cert\/tls\.key\)$/,
    );
  });

  it('a client certificate of another CA: says the registry refused it, without the key', async () => {
    const client = new ConfluentRestClient({
      baseUrl: registry.confluentApiUrl,
      tls: { ca: pem.ca, cert: stranger.cert, key: stranger.key },
      retries: 3,
    });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
    expect(error.message).toContain('the registry refused the client certificate (');
    expectNoSecret(error.message);
  });
});

describe('registry security > mutual tls > cli', () => {
  /** Runs the CLI against the registry at `url` with the run's CA and client certificate. */
  const withMtls = (url: string, ...args: string[]) => cli([...args, '--registry', url, ...mtlsArgs()]);

  it('register, encode and decode against the native API with --registry-ca/-cert/-key and the globalId', async () => {
    const name = subject('mtls-cli');
    const url = registry.apicurioApiUrl;
    const registered = await withMtls(url, 'register', userSchemaFile, '--subject', name);
    expect(registered).toMatchObject({ code: 0, stderr: '' });
    const { id } = JSON.parse(registered.stdout) as { id: number };
    const carrier = ['--carrier', 'apicurio', '--apicurio-id', 'global'];
    const encoded = await withMtls(url, 'encode', '--subject', name, ...carrier, JSON.stringify(USER));
    expect(encoded).toMatchObject({ code: 0, stderr: '' });
    const framed = JSON.parse(encoded.stdout) as { value: string; headers: Record<string, string> };
    const globalId = framed.headers['apicurio.value.globalId'];
    expect(globalId).toBeDefined();
    const header = `apicurio.value.globalId=${globalId}`;
    const decoded = await withMtls(url, 'decode', framed.value, '--header', header);
    expect(decoded).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(decoded.stdout)).toMatchObject({ schemaId: id, subject: name, value: USER });
  });

  it('register, encode and decode through the Confluent-compatible API with the same options', async () => {
    const name = subject('mtls-ccompat');
    const url = registry.confluentApiUrl;
    expect(await withMtls(url, 'register', userSchemaFile, '--subject', name)).toMatchObject({ code: 0 });
    const encoded = await withMtls(url, 'encode', '--subject', name, JSON.stringify(USER));
    expect(encoded.code).toBe(0);
    const decoded = await withMtls(url, 'decode', encoded.stdout.trim());
    expect(JSON.parse(decoded.stdout)).toMatchObject({ subject: name, value: USER });
  });

  it.each([
    [
      'the CA of another run',
      () => [
        '--registry-ca',
        stranger.caFile,
        '--registry-cert',
        pem.certFile,
        '--registry-key',
        pem.keyFile,
      ],
      "the registry's certificate is not trusted (",
      'give the CA that signed it (tls.ca / --registry-ca)',
    ],
    [
      'no client certificate',
      () => ['--registry-ca', pem.caFile],
      'the registry asked for a client certificate (',
      'give --registry-cert and --registry-key (tls.cert/tls.key)',
    ],
    [
      'a client certificate of another CA',
      () => [
        '--registry-ca',
        pem.caFile,
        '--registry-cert',
        stranger.certFile,
        '--registry-key',
        stranger.keyFile,
      ],
      'the registry refused the client certificate (',
      'give one signed by a CA the registry trusts',
    ],
  ])('%s: exit 1 with one line naming the fix, no key text', async (_, args, cause, fix) => {
    const run = await cli([
      'register',
      userSchemaFile,
      '--subject',
      subject('mtls-fail'),
      '--registry',
      registry.apicurioApiUrl,
      ...args(),
    ]);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(cause);
    expect(lines[0]).toContain(fix);
    expect(lines[0]).not.toContain('attempts');
    expectNoSecret(run.stderr);
  });
});
