import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Schema } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import type { ConfluentRestClientOptions } from '@schemawire/registry-adapter';
import {
  ConfluentRestClient,
  EmbeddedRegistry,
  startConfluentRestServer,
} from '@schemawire/registry-adapter';
import { failure } from './support/failures.js';
import type { StubRequest, StubServer } from './support/stub-server.js';
import { json, startStubServer } from './support/stub-server.js';
import { textFormat, textSchema } from './support/text-format.js';

const user = textSchema({ title: 'User', properties: { id: {} } });
const userWithName = textSchema({ title: 'User', properties: { id: {}, name: {} } });
const avroUser: Schema = {
  schemaType: 'AVRO',
  schema: JSON.stringify({ type: 'record', name: 'User', fields: [] }),
  references: [],
};

describe('registry > confluent rest > against the rest facade', () => {
  let server: { url: string; close(): Promise<void> };
  let client: ConfluentRestClient;
  beforeAll(async () => {
    server = await startConfluentRestServer(
      new EmbeddedRegistry({ formats: [textFormat('JSON'), textFormat('AVRO')] }),
    );
    client = new ConfluentRestClient({ baseUrl: server.url, retryBackoffMs: 1 });
  });
  afterAll(() => server.close());

  it('registers, looks up and reads back schemas', async () => {
    const registered = await client.register('users-value', user);
    expect(registered).toMatchObject({ id: 1, version: 1, subject: 'users-value', schemaType: 'JSON' });
    expect(registered.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.register('users-value', user)).toMatchObject({ id: 1, version: 1 });
    expect(await client.register('users-value', userWithName)).toMatchObject({ id: 2, version: 2 });
    expect(await client.lookup('users-value', user)).toMatchObject({
      id: 1,
      version: 1,
      subject: 'users-value',
    });
    expect(await client.getSchema({ kind: 'id', id: 2 })).toMatchObject({
      id: 2,
      schema: userWithName.schema,
      schemaType: 'JSON',
      references: [],
    });
    expect(await client.getSchema({ kind: 'contentId', contentId: 1 })).toMatchObject({ id: 1 });
    expect(await client.getSchema({ kind: 'guid', guid: registered.guid! })).toMatchObject({
      id: 1,
      guid: registered.guid,
      schema: user.schema,
    });
    expect(await client.getVersion('users-value', 'latest')).toMatchObject({ id: 2, version: 2 });
    expect(await client.getVersion('users-value', 1)).toMatchObject({ id: 1, subject: 'users-value' });
    expect(await client.listVersions('users-value')).toEqual([1, 2]);
    expect(await client.listSubjects()).toContain('users-value');
    expect(await client.getSubjectVersionsOfId(1)).toEqual([{ subject: 'users-value', version: 1 }]);
  });

  it('sends AVRO schemas without a schemaType and reads them back as AVRO', async () => {
    const registered = await client.register('avro-value', avroUser);
    expect(await client.getSchema({ kind: 'id', id: registered.id })).toMatchObject({ schemaType: 'AVRO' });
  });

  it('encodes subjects into the path', async () => {
    const subject = 'odd/subject name?#%';
    await client.register(subject, user);
    expect(await client.listVersions(subject)).toEqual([1]);
    expect(await client.listSubjects()).toContain(subject);
  });

  it('reads and sets compatibility levels, and register leaves them alone', async () => {
    expect(await client.getCompatibility()).toBe('BACKWARD');
    await client.setCompatibility('FORWARD', 'config-value');
    await client.register('config-value', user);
    expect(await client.getCompatibility('config-value')).toBe('FORWARD');
    expect(await client.getCompatibility('other-value')).toBe('BACKWARD');
    await client.setCompatibility('FULL');
    expect(await client.getCompatibility()).toBe('FULL');
    await client.setCompatibility('BACKWARD');
  });

  it('tests compatibility, verbosely, and a first schema is always compatible', async () => {
    await client.register('compat-value', user);
    const candidate = textSchema({ properties: { id: {} }, required: ['name'] });
    const result = await client.testCompatibility('compat-value', candidate);
    expect(result.compatible).toBe(false);
    expect(result.messages.join('\n')).toContain('field "name" is required but not written');
    expect(await client.testCompatibility('compat-value', userWithName, 1)).toEqual({
      compatible: true,
      messages: [],
    });
    expect(await client.testCompatibility('fresh-value', candidate)).toEqual({
      compatible: true,
      messages: [],
    });
  });

  it('deletes softly, then permanently', async () => {
    await client.register('doomed-value', user);
    await client.register('doomed-value', userWithName);
    expect(await client.deleteVersion('doomed-value', 2)).toBe(2);
    expect(await client.deleteVersion('doomed-value', 2, { permanent: true })).toBe(2);
    expect(await client.deleteSubject('doomed-value')).toEqual([1]);
    expect(await client.listSubjects({ deleted: true })).toContain('doomed-value');
    expect(await client.deleteSubject('doomed-value', { permanent: true })).toEqual([1]);
    expect(await client.listSubjects({ deleted: true })).not.toContain('doomed-value');
  });

  it('maps registry error codes to typed errors with context', async () => {
    const missing = await failure(client.getVersion('missing-value', 1));
    expect(missing).toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
      httpStatus: 404,
      subject: 'missing-value',
      retriable: false,
    });
    expect(missing.message).toMatch(/^cannot complete registry request: GET \/subjects\/missing-value/);
    await expect(client.getSchema({ kind: 'id', id: 999 })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      registryErrorCode: 40403,
      schemaId: 999,
    });
    await client.register('strict-value', user);
    await expect(
      client.register('strict-value', textSchema({ properties: {}, required: ['x'] })),
    ).rejects.toMatchObject({ code: ErrorCode.IncompatibleSchema, registryErrorCode: 409, httpStatus: 409 });
    await expect(
      client.register('strict-value', { schemaType: 'JSON', schema: 'not json' }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidSchema, registryErrorCode: 42201, httpStatus: 422 });
    await expect(client.deleteSubject('strict-value', { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
      registryErrorCode: 40405,
    });
  });

  it('has no globalIds to look schemas up by', async () => {
    await expect(client.getSchema({ kind: 'globalId', globalId: 1 })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
  });
});

describe('registry > confluent rest > requests', () => {
  let stub: StubServer;
  afterEach(() => stub.close());
  const start = async (
    answer: (request: StubRequest, index: number) => [number, unknown],
  ): Promise<StubServer> => {
    stub = await startStubServer((request, index, response) => {
      const [status, body] = answer(request, index);
      json(response, status, body);
    });
    return stub;
  };
  const clientOf = (options: Partial<ConfluentRestClientOptions> = {}) =>
    new ConfluentRestClient({ baseUrl: stub.url, retryBackoffMs: 1, ...options });

  it('posts only the schema on register, without schemaType for AVRO, with the Confluent content type', async () => {
    await start(() => [200, { id: 7 }]);
    const registered = await clientOf().register('users-value', avroUser);
    expect(registered).toEqual({ ...avroUser, references: [], id: 7, subject: 'users-value' });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/subjects/users-value/versions' });
    expect(request!.headers['content-type']).toBe('application/vnd.schemaregistry.v1+json');
    expect(JSON.parse(request!.body)).toEqual({ schema: avroUser.schema });
  });

  it('sends schemaType and references when there are some, and the normalize flag', async () => {
    await start(() => [200, { id: 3, version: 2, guid: 'g-1' }]);
    const references = [{ name: 'a.json', subject: 'a', version: 1 }];
    const registered = await clientOf().register('x', textSchema({}, references), { normalize: true });
    expect(registered).toMatchObject({ id: 3, version: 2, guid: 'g-1' });
    expect(stub.requests[0]!.url).toBe('/subjects/x/versions?normalize=true');
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ schema: '{}', schemaType: 'JSON', references });
  });

  it('asks for deleted versions and normal forms on lookup', async () => {
    await start(() => [200, { subject: 'x', id: 1, version: 4, schema: '{}' }]);
    const found = await clientOf().lookup('x', user, { normalize: true, deleted: true });
    expect(found).toMatchObject({ subject: 'x', id: 1, version: 4, schemaType: 'AVRO', references: [] });
    expect(stub.requests[0]!.url).toBe('/subjects/x?normalize=true&deleted=true');
  });

  it('keeps the path of the base URL, as Apicurio serves the API under /apis/ccompat/v7', async () => {
    await start(() => [200, ['a']]);
    const client = new ConfluentRestClient({ baseUrl: `${stub.url}/apis/ccompat/v7/` });
    expect(await client.listSubjects({ deleted: true })).toEqual(['a']);
    expect(stub.requests[0]!.url).toBe('/apis/ccompat/v7/subjects?deleted=true');
  });

  it('fills a guid answer without a numeric id with -1', async () => {
    await start(() => [200, { schema: '{}', schemaType: 'JSON' }]);
    const schema = await clientOf().getSchema({ kind: 'guid', guid: 'abc' });
    expect(schema).toMatchObject({ id: -1, guid: 'abc', schemaType: 'JSON', references: [] });
    expect(stub.requests[0]!.url).toBe('/schemas/guids/abc');
  });

  it('asks for the global level when a subject has none of its own (40408)', async () => {
    await start((request) =>
      request.url.startsWith('/config/')
        ? [
            404,
            { error_code: 40408, message: 'Subject does not have subject-level compatibility configured' },
          ]
        : [200, { compatibilityLevel: 'FULL' }],
    );
    expect(await clientOf().getCompatibility('x')).toBe('FULL');
    expect(stub.requests.map((request) => request.url)).toEqual([
      '/config/x?defaultToGlobal=true',
      '/config',
    ]);
  });

  it('reads the compatibility field of registries that name it so', async () => {
    await start(() => [200, { compatibility: 'NONE' }]);
    expect(await clientOf().getCompatibility('x')).toBe('NONE');
  });

  it.each([
    ['the subject does not exist (40401)', { error_code: 40401, message: "Subject 'x' not found." }],
    // Karapace 6.2 answers so for a subject it does not know.
    ['its latest version does not exist (40402)', { error_code: 40402, message: 'Version -1 not found.' }],
  ])('finds a first schema compatible when the registry says %s', async (_, answer) => {
    await start(() => [404, answer]);
    expect(await clientOf().testCompatibility('x', user)).toEqual({
      compatible: true,
      messages: ['subject has no versions'],
    });
    expect(stub.requests[0]!.url).toBe('/compatibility/subjects/x/versions/latest?verbose=true');
  });

  it('does not take a missing numbered version for a subject without versions', async () => {
    await start(() => [404, { error_code: 40402, message: 'Version 3 not found.' }]);
    await expect(clientOf().testCompatibility('x', user, 3)).rejects.toMatchObject({
      code: ErrorCode.VersionNotFound,
    });
  });

  it('sends the configured headers', async () => {
    await start(() => [200, []]);
    await clientOf({ headers: { 'X-Tenant': 'blue' } }).listSubjects();
    expect(stub.requests[0]!.headers['x-tenant']).toBe('blue');
  });

  it('answers SCHEMAWIRE_REGISTRY_ERROR for a success that is not JSON', async () => {
    stub = await startStubServer((_request, _index, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>proxy login</html>');
    });
    await expect(clientOf().listSubjects()).rejects.toMatchObject({ code: ErrorCode.RegistryError });
  });

  it('maps an error answer without an error_code by its status', async () => {
    stub = await startStubServer((_request, _index, response) => {
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end('forbidden');
    });
    const error = await failure(clientOf().listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnauthorized, httpStatus: 403 });
    expect(error.message).toContain('"forbidden"');
  });
});

describe('registry > confluent rest > retries', () => {
  let stub: StubServer;
  afterEach(() => stub.close());

  it.each([500, 503, 429, 408])('retries a %i answer and then succeeds', async (status) => {
    stub = await startStubServer((_request, index, response) => {
      if (index < 2) json(response, status, { error_code: status * 100, message: 'busy' });
      else json(response, 200, ['a']);
    });
    const client = new ConfluentRestClient({ baseUrl: stub.url, retries: 3, retryBackoffMs: 1 });
    expect(await client.listSubjects()).toEqual(['a']);
    expect(stub.requests).toHaveLength(3);
  });

  it('gives up after the configured retries with a retriable error', async () => {
    stub = await startStubServer((_request, _index, response) => json(response, 503, { message: 'down' }));
    const client = new ConfluentRestClient({ baseUrl: stub.url, retries: 2, retryBackoffMs: 1 });
    await expect(client.listSubjects()).rejects.toMatchObject({
      code: ErrorCode.RegistryUnavailable,
      httpStatus: 503,
      retriable: true,
    });
    expect(stub.requests).toHaveLength(3);
  });

  it.each([
    [400, 400, ErrorCode.RegistryError],
    [404, 40401, ErrorCode.SubjectNotFound],
    [422, 42201, ErrorCode.InvalidSchema],
  ])('does not retry a %i answer', async (status, errorCode, code) => {
    stub = await startStubServer((_request, _index, response) =>
      json(response, status, { error_code: errorCode, message: 'no' }),
    );
    const client = new ConfluentRestClient({ baseUrl: stub.url, retries: 3, retryBackoffMs: 1 });
    await expect(client.listVersions('x')).rejects.toMatchObject({ code, registryErrorCode: errorCode });
    expect(stub.requests).toHaveLength(1);
  });

  it('times out a registry that does not answer, retries, then reports it unavailable', async () => {
    stub = await startStubServer(() => {
      // Never answers.
    });
    const client = new ConfluentRestClient({
      baseUrl: stub.url,
      timeoutMs: 100,
      retries: 1,
      retryBackoffMs: 1,
    });
    const error = await failure(client.getSchema({ kind: 'id', id: 1 }));
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: true, schemaId: 1 });
    expect(error.message).toBe(
      'cannot reach registry: GET /schemas/ids/1 timed out after 100 ms (2 attempts)',
    );
    expect(stub.requests).toHaveLength(2);
  });

  it('reports a refused connection as unavailable', async () => {
    stub = await startStubServer(() => undefined);
    const url = stub.url;
    await stub.close();
    const client = new ConfluentRestClient({ baseUrl: url, retries: 1, retryBackoffMs: 1 });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: true });
    expect(error.message).toBe('cannot reach registry: GET /subjects failed: ECONNREFUSED (2 attempts)');
  });
});

describe('registry > confluent rest > auth', () => {
  let stub: StubServer;
  beforeAll(async () => {
    // Answers 401 and echoes the Authorization header back, as a careless proxy might.
    stub = await startStubServer((request, _index, response) =>
      request.url === '/subjects'
        ? json(response, 200, [])
        : json(response, 401, {
            error_code: 40101,
            message: `bad credentials: ${request.headers.authorization}`,
          }),
    );
  });
  afterAll(() => stub.close());
  const lastAuthorization = () => stub.requests.at(-1)!.headers.authorization;
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('sends Basic auth for a username and password', async () => {
    await new ConfluentRestClient({
      baseUrl: stub.url,
      auth: { username: 'alice', password: 's3cret' },
    }).listSubjects();
    expect(lastAuthorization()).toBe(basic('alice:s3cret'));
  });

  it('sends a bearer token', async () => {
    await new ConfluentRestClient({ baseUrl: stub.url, auth: { token: 'tok-123' } }).listSubjects();
    expect(lastAuthorization()).toBe('Bearer tok-123');
  });

  it('takes Basic auth from user info in the URL and keeps it out of the URL', async () => {
    const withUserInfo = stub.url.replace('http://', 'http://bob:p%40ss%3Aword@');
    const client = new ConfluentRestClient({ baseUrl: withUserInfo });
    await client.listSubjects();
    expect(lastAuthorization()).toBe(basic('bob:p@ss:word'));
    expect(client.baseUrl).toBe(stub.url);
  });

  it('prefers explicit credentials over user info', async () => {
    const withUserInfo = stub.url.replace('http://', 'http://bob:pw@');
    await new ConfluentRestClient({ baseUrl: withUserInfo, auth: { token: 't' } }).listSubjects();
    expect(lastAuthorization()).toBe('Bearer t');
  });

  it('never puts a password or token into an error message', async () => {
    for (const options of [
      { baseUrl: stub.url, auth: { username: 'alice', password: 's3cret' } },
      { baseUrl: stub.url.replace('http://', 'http://alice:s3cret@') },
      { baseUrl: stub.url, auth: { token: 's3cret' } },
    ]) {
      const error = await failure(new ConfluentRestClient(options).getVersion('x', 1));
      expect(error).toMatchObject({ code: ErrorCode.RegistryUnauthorized, registryErrorCode: 40101 });
      expect(error.message).toContain('bad credentials');
      expect(error.message).not.toContain('s3cret');
      expect(error.message).not.toContain(Buffer.from('alice:s3cret').toString('base64'));
    }
  });

  it('keeps the credentials of an unreachable URL out of the error message', async () => {
    const client = new ConfluentRestClient({ baseUrl: 'http://alice:s3cret@127.0.0.1:1', retries: 0 });
    const error = await failure(client.listSubjects());
    expect(error.code).toBe(ErrorCode.RegistryUnavailable);
    expect(error.message).not.toContain('s3cret');
  });
});

describe('registry > confluent rest > options', () => {
  it('refuses a base URL that is not a URL without repeating it', () => {
    expect(() => new ConfluentRestClient({ baseUrl: 'alice:s3cret at registry' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('refuses a non-http URL, a timeout of zero and fractional retries', () => {
    for (const options of [
      { baseUrl: 'ftp://registry' },
      { baseUrl: 'http://registry', timeoutMs: 0 },
      { baseUrl: 'http://registry', retries: 1.5 },
      { baseUrl: 'http://registry', retryBackoffMs: -1 },
    ]) {
      expect(() => new ConfluentRestClient(options)).toThrow(
        expect.objectContaining({ code: ErrorCode.Config }),
      );
    }
  });
});
