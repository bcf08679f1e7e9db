import { afterEach, describe, expect, it } from '@jest/globals';
import type { ErrorCode as ErrorCodeType, Schema } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import type { ApicurioRestClientOptions } from '@schemawire/registry-adapter';
import { ApicurioRestClient } from '@schemawire/registry-adapter';
import { failure } from './support/failures.js';
import type { StubRequest, StubServer } from './support/stub-server.js';
import { json, startStubServer } from './support/stub-server.js';

const avroUser: Schema = {
  schemaType: 'AVRO',
  schema: JSON.stringify({ type: 'record', name: 'User', fields: [] }),
};

/** A version as Apicurio lists it; the default group is left out, as Apicurio does. */
function version(fields: {
  version: string;
  globalId: number;
  contentId: number;
  artifactId?: string;
  groupId?: string;
  state?: string;
  artifactType?: string;
}): Record<string, unknown> {
  return { artifactId: 'x', artifactType: 'AVRO', state: 'ENABLED', owner: '', createdOn: '', ...fields };
}

function problem(status: number, name: string, title: string, extra: Record<string, unknown> = {}) {
  return { status, name, title, detail: `${name}: ${title}`, ...extra };
}

/** An answer of the stub: JSON by default, or raw text with its content type. */
type Answer = [number, unknown] | [number, string, string];

let stub: StubServer;
afterEach(() => stub?.close());

async function start(answer: (request: StubRequest, index: number) => Answer): Promise<StubServer> {
  stub = await startStubServer((request, index, response) => {
    const [status, body, contentType] = answer(request, index);
    if (contentType === undefined) {
      json(response, status, body);
    } else {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    }
  });
  return stub;
}

const clientOf = (options: Partial<ApicurioRestClientOptions> = {}) =>
  new ApicurioRestClient({ baseUrl: `${stub.url}/apis/registry/v3`, retryBackoffMs: 1, ...options });
const paths = () =>
  stub.requests.map((request) => `${request.method} ${request.url.replace('/apis/registry/v3', '')}`);

describe('registry > apicurio rest > register and lookup', () => {
  it('creates the artifact or finds the version, with the content type of the schema type', async () => {
    await start(() => [
      200,
      {
        artifact: { artifactId: 'users-value', artifactType: 'AVRO' },
        version: version({ version: '3', globalId: 11, contentId: 7, artifactId: 'users-value' }),
      },
    ]);
    const registered = await clientOf().register('users-value', avroUser);
    expect(registered).toEqual({
      ...avroUser,
      references: [],
      id: 7,
      globalId: 11,
      subject: 'users-value',
      version: 3,
    });
    expect(paths()).toEqual(['POST /groups/default/artifacts?ifExists=FIND_OR_CREATE_VERSION']);
    const [request] = stub.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      artifactId: 'users-value',
      artifactType: 'AVRO',
      firstVersion: {
        content: { content: avroUser.schema, contentType: 'application/json', references: [] },
      },
    });
  });

  it('sends Protobuf as application/x-protobuf, references as Apicurio names them, and canonical for normalize', async () => {
    await start(() => [
      200,
      {
        version: version({
          version: '1',
          globalId: 2,
          contentId: 3,
          artifactId: 'orders value',
          groupId: 'payments',
        }),
      },
    ]);
    const proto: Schema = {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3"; import "common.proto"; message Order { common.Money total = 1; }',
      references: [{ name: 'common.proto', subject: 'common', version: 2 }],
    };
    const client = clientOf({ groupId: 'payments' });
    expect(await client.register('orders value', proto, { normalize: true })).toMatchObject({
      subject: 'orders value',
      references: proto.references,
    });
    expect(paths()).toEqual([
      'POST /groups/payments/artifacts?ifExists=FIND_OR_CREATE_VERSION&canonical=true',
    ]);
    expect(JSON.parse(stub.requests[0]!.body).firstVersion.content).toEqual({
      content: proto.schema,
      contentType: 'application/x-protobuf',
      references: [{ groupId: 'payments', artifactId: 'common', version: '2', name: 'common.proto' }],
    });
  });

  it('adds a new version when the schema it finds is disabled (soft-deleted)', async () => {
    await start((_request, index) =>
      index === 0
        ? [200, { version: version({ version: '2', globalId: 5, contentId: 4, state: 'DISABLED' }) }]
        : [200, version({ version: '4', globalId: 9, contentId: 4 })],
    );
    expect(await clientOf().register('x', avroUser)).toMatchObject({ id: 4, globalId: 9, version: 4 });
    expect(paths()).toEqual([
      'POST /groups/default/artifacts?ifExists=FIND_OR_CREATE_VERSION',
      'POST /groups/default/artifacts/x/versions',
    ]);
    expect(JSON.parse(stub.requests[1]!.body)).toEqual({
      content: { content: avroUser.schema, contentType: 'application/json', references: [] },
    });
  });

  it('looks a schema up by content in the artifact and takes the latest live version', async () => {
    await start(() => [
      200,
      {
        count: 3,
        versions: [
          version({ version: '1', globalId: 5, contentId: 2 }),
          version({ version: '3', globalId: 9, contentId: 2, state: 'DISABLED' }),
          version({ version: '2', globalId: 8, contentId: 2 }),
        ],
      },
    ]);
    expect(await clientOf().lookup('x', avroUser)).toMatchObject({ version: 2, globalId: 8, id: 2 });
    expect(await clientOf().lookup('x', avroUser, { deleted: true, normalize: true })).toMatchObject({
      version: 3,
    });
    expect(paths()).toEqual([
      'POST /search/versions?groupId=default&artifactId=x&offset=0&limit=500',
      'POST /search/versions?groupId=default&artifactId=x&canonical=true&artifactType=AVRO&offset=0&limit=500',
    ]);
    expect(stub.requests[0]!.body).toBe(avroUser.schema);
    expect(stub.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('tells a missing schema from a missing subject by reading the artifact', async () => {
    await start((request) =>
      request.url.includes('/search/')
        ? [200, { count: 0, versions: [] }]
        : request.url.endsWith('/artifacts/there')
          ? [200, { artifactId: 'there' }]
          : [
              404,
              problem(
                404,
                'ArtifactNotFoundException',
                "No artifact with ID 'gone' in group 'null' was found.",
              ),
            ],
    );
    await expect(clientOf().lookup('there', avroUser)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      subject: 'there',
    });
    await expect(clientOf().lookup('gone', avroUser)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      subject: 'gone',
      httpStatus: 404,
    });
  });

  it('looks a schema with references up by a dry run, confirmed by the stored version', async () => {
    const withReferences: Schema = { ...avroUser, references: [{ name: 'A', subject: 'a', version: 1 }] };
    let storedGlobalId = 21;
    await start((request) => {
      if (request.method === 'POST')
        return [200, { version: version({ version: '2', globalId: 21, contentId: 6 }) }];
      if (request.url.endsWith('/versions/2'))
        return [200, version({ version: '2', globalId: storedGlobalId, contentId: 6 })];
      return [200, { artifactId: 'x' }];
    });
    expect(await clientOf().lookup('x', withReferences)).toMatchObject({
      version: 2,
      globalId: 21,
      references: withReferences.references,
    });
    expect(paths()).toEqual([
      'POST /groups/default/artifacts?ifExists=FIND_OR_CREATE_VERSION&dryRun=true',
      'GET /groups/default/artifacts/x/versions/2',
    ]);
    // A dry run that finds nothing answers with the version it would create, not a stored one.
    storedGlobalId = 20;
    await expect(clientOf().lookup('x', withReferences)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
  });

  it('finds nothing where the rules would refuse a schema with references', async () => {
    await start((request) =>
      request.method === 'POST'
        ? [400, problem(400, 'RuleViolationException', 'Incompatible artifact', { causes: [] })]
        : [200, { artifactId: 'x' }],
    );
    const withReferences: Schema = { ...avroUser, references: [{ name: 'A', subject: 'a', version: 1 }] };
    await expect(clientOf().lookup('x', withReferences)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
  });
});

describe('registry > apicurio rest > reading schemas', () => {
  it('reads a schema by globalId: content, references and the version that has it', async () => {
    await start((request) => {
      if (request.url.endsWith('/references')) {
        return [200, [{ groupId: 'default', artifactId: 'a', version: '1', name: 'A' }]];
      }
      if (request.url.startsWith('/apis/registry/v3/search/')) {
        return [
          200,
          { count: 1, versions: [version({ version: '4', globalId: 11, contentId: 3, artifactId: 's' })] },
        ];
      }
      return [200, avroUser.schema, 'application/json'];
    });
    expect(await clientOf().getSchema({ kind: 'globalId', globalId: 11 })).toEqual({
      schema: avroUser.schema,
      schemaType: 'AVRO',
      references: [{ name: 'A', subject: 'a', version: 1 }],
      id: 3,
      globalId: 11,
      subject: 's',
      version: 4,
    });
    expect(paths().sort()).toEqual([
      'GET /ids/globalIds/11',
      'GET /ids/globalIds/11/references',
      'GET /search/versions?globalId=11&offset=0&limit=500',
    ]);
  });

  it('reads a schema by contentId, named after a live version of its own group where there is one', async () => {
    const proto = 'syntax = "proto3"; message A {}';
    let holders = [
      version({ version: '1', globalId: 1, contentId: 3, artifactId: 'elsewhere', groupId: 'other' }),
      version({
        version: '1',
        globalId: 2,
        contentId: 3,
        artifactId: 'deleted',
        state: 'DISABLED',
        artifactType: 'PROTOBUF',
      }),
      version({
        version: '5',
        globalId: 3,
        contentId: 3,
        artifactId: 'live',
        groupId: 'default',
        artifactType: 'PROTOBUF',
      }),
    ];
    await start((request) => {
      if (request.url.endsWith('/references')) return [200, []];
      if (request.url.startsWith('/apis/registry/v3/search/')) return [200, { count: 3, versions: holders }];
      return [200, proto, 'application/x-protobuf'];
    });
    expect(await clientOf().getSchema({ kind: 'contentId', contentId: 3 })).toEqual({
      schema: proto,
      schemaType: 'PROTOBUF',
      references: [],
      id: 3,
      globalId: 3,
      subject: 'live',
      version: 5,
    });
    expect(paths()).toContain('GET /search/versions?contentId=3&offset=0&limit=500');
    holders = holders.slice(0, 1);
    expect(await clientOf().getSchema({ kind: 'id', id: 3 })).toEqual({
      schema: proto,
      schemaType: 'AVRO',
      references: [],
      id: 3,
    });
    holders = [];
    await expect(clientOf().getSchema({ kind: 'id', id: 3 })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      schemaId: 3,
    });
  });

  it('answers SCHEMAWIRE_SCHEMA_NOT_FOUND for an id Apicurio does not know, whatever it calls it', async () => {
    await start(() => [
      404,
      problem(404, 'ArtifactNotFoundException', "No artifact with ID '7' in group 'null' was found."),
    ]);
    await expect(clientOf().getSchema({ kind: 'globalId', globalId: 7 })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      httpStatus: 404,
    });
  });

  it('has no GUIDs, and does not ask', async () => {
    await start(() => [500, {}]);
    await expect(clientOf().getSchema({ kind: 'guid', guid: 'g' })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
    expect(stub.requests).toHaveLength(0);
  });

  it('reads the latest version through the latest branch, then its content and references', async () => {
    await start((request) => {
      if (request.url.endsWith('/content')) return [200, avroUser.schema, 'application/json'];
      if (request.url.endsWith('/references')) return [200, []];
      return [200, version({ version: '2', globalId: 8, contentId: 5 })];
    });
    expect(await clientOf().getVersion('x', 'latest')).toEqual({
      ...avroUser,
      references: [],
      id: 5,
      globalId: 8,
      subject: 'x',
      version: 2,
    });
    expect(paths().slice(0, 1)).toEqual(['GET /groups/default/artifacts/x/versions/branch%3Dlatest']);
    expect(paths().slice(1).sort()).toEqual([
      'GET /groups/default/artifacts/x/versions/2/content',
      'GET /groups/default/artifacts/x/versions/2/references',
    ]);
  });

  it('does not read a disabled version', async () => {
    await start(() => [200, version({ version: '2', globalId: 8, contentId: 5, state: 'DISABLED' })]);
    await expect(clientOf().getVersion('x', 2)).rejects.toMatchObject({
      code: ErrorCode.VersionNotFound,
      subject: 'x',
      version: 2,
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('answers SCHEMAWIRE_SUBJECT_NOT_FOUND for a version of a missing artifact', async () => {
    await start((request) =>
      request.url.endsWith('/versions/1')
        ? [404, problem(404, 'VersionNotFoundException', "No version '1' found for artifact with ID 'x'")]
        : [404, problem(404, 'ArtifactNotFoundException', "No artifact with ID 'x' was found.")],
    );
    await expect(clientOf().getVersion('x', 1)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    expect(paths()).toEqual([
      'GET /groups/default/artifacts/x/versions/1',
      'GET /groups/default/artifacts/x',
    ]);
  });

  it('refuses versions and artifact types schemawire cannot name', async () => {
    await start((request) => {
      if (request.url.endsWith('/content')) return [200, avroUser.schema, 'application/json'];
      if (request.url.endsWith('/references')) return [200, []];
      if (request.url.includes('/versions/'))
        return [200, version({ version: '1.0.0', globalId: 1, contentId: 1 })];
      const openapi = version({ version: '1', globalId: 1, contentId: 1, artifactType: 'OPENAPI' });
      return [200, { count: 1, versions: [openapi] }];
    });
    await expect(clientOf().getVersion('x', 1)).rejects.toMatchObject({
      code: ErrorCode.RegistryError,
      message: expect.stringContaining('version "1.0.0" is not a whole number'),
    });
    await expect(clientOf().getSchema({ kind: 'globalId', globalId: 1 })).rejects.toMatchObject({
      code: ErrorCode.RegistryError,
      message: expect.stringContaining('artifact type "OPENAPI"'),
    });
  });
});

describe('registry > apicurio rest > listings', () => {
  it('pages through versions and leaves out disabled ones', async () => {
    await start((request) => {
      const offset = Number(new URL(request.url, 'http://stub').searchParams.get('offset'));
      const versions =
        offset === 0
          ? Array.from({ length: 500 }, (_, i) =>
              version({
                version: String(500 - i),
                globalId: 500 - i,
                contentId: 1,
                state: i === 0 ? 'DISABLED' : 'ENABLED',
              }),
            )
          : [version({ version: '501', globalId: 501, contentId: 1 })];
      return [200, { count: 501, versions }];
    });
    const versions = await clientOf().listVersions('x');
    expect(versions).toHaveLength(500);
    expect(versions.slice(0, 2)).toEqual([1, 2]);
    expect(versions.at(-1)).toBe(501);
    expect(versions).not.toContain(500);
    expect(paths()).toEqual([
      'GET /groups/default/artifacts/x/versions?offset=0&limit=500',
      'GET /groups/default/artifacts/x/versions?offset=500&limit=500',
    ]);
  });

  it('calls a subject whose versions are all disabled gone', async () => {
    await start(() => [
      200,
      { count: 1, versions: [version({ version: '1', globalId: 1, contentId: 1, state: 'DISABLED' })] },
    ]);
    await expect(clientOf().listVersions('x')).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
  });

  it('lists the subjects of its group with a live version, and with deleted all of them', async () => {
    await start(() => [
      200,
      {
        count: 4,
        versions: [
          version({ version: '1', globalId: 1, contentId: 1, artifactId: 'b' }),
          version({ version: '2', globalId: 2, contentId: 1, artifactId: 'b' }),
          version({ version: '1', globalId: 3, contentId: 1, artifactId: 'c', state: 'DISABLED' }),
          version({ version: '1', globalId: 4, contentId: 1, artifactId: 'a', state: 'DEPRECATED' }),
        ],
      },
    ]);
    const client = clientOf({ groupId: 'team a' });
    expect(await client.listSubjects()).toEqual(['a', 'b']);
    expect(await client.listSubjects({ deleted: true })).toEqual(['a', 'b', 'c']);
    expect(paths()[0]).toBe('GET /search/versions?groupId=team+a&offset=0&limit=500');
  });

  it('lists the live versions of its group that hold a contentId', async () => {
    let versions = [
      version({ version: '2', globalId: 7, contentId: 3, artifactId: 'b' }),
      version({ version: '1', globalId: 5, contentId: 3, artifactId: 'a' }),
      version({ version: '3', globalId: 9, contentId: 3, artifactId: 'b', state: 'DISABLED' }),
    ];
    await start(() => [200, { count: versions.length, versions }]);
    expect(await clientOf().getSubjectVersionsOfId(3)).toEqual([
      { subject: 'a', version: 1 },
      { subject: 'b', version: 2 },
    ]);
    expect(paths()).toEqual(['GET /search/versions?contentId=3&groupId=default&offset=0&limit=500']);
    versions = [];
    await expect(clientOf().getSubjectVersionsOfId(3)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      schemaId: 3,
    });
  });
});

describe('registry > apicurio rest > compatibility', () => {
  it('tests a schema by a dry run and answers the rule violation causes', async () => {
    await start(() => [
      400,
      problem(400, 'RuleViolationException', 'Incompatible artifact: x [AVRO]', {
        causes: [
          { description: 'email', context: '/fields/1' },
          { description: 'no context', context: '' },
        ],
      }),
    ]);
    expect(await clientOf().testCompatibility('x', avroUser)).toEqual({
      compatible: false,
      messages: ['email at /fields/1', 'no context'],
    });
    expect(paths()).toEqual(['POST /groups/default/artifacts/x/versions?dryRun=true']);
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({
      content: { content: avroUser.schema, contentType: 'application/json', references: [] },
    });
  });

  it('finds a schema compatible when the dry run passes or the subject has no versions', async () => {
    await start((_request, index) =>
      index === 0
        ? [200, version({ version: '3', globalId: 1, contentId: 1 })]
        : [404, problem(404, 'ArtifactNotFoundException', 'No artifact')],
    );
    expect(await clientOf().testCompatibility('x', avroUser)).toEqual({ compatible: true, messages: [] });
    expect(await clientOf().testCompatibility('x', avroUser)).toEqual({
      compatible: true,
      messages: ['subject has no versions'],
    });
  });

  it('tests against a numbered version only when it is the latest', async () => {
    await start((request) =>
      request.method === 'GET' ? [200, version({ version: '2', globalId: 1, contentId: 1 })] : [200, {}],
    );
    expect(await clientOf().testCompatibility('x', avroUser, 2)).toEqual({ compatible: true, messages: [] });
    await expect(clientOf().testCompatibility('x', avroUser, 1)).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
      subject: 'x',
      version: 1,
    });
  });

  it('reads the artifact rule, else the group rule, else the global rule, else NONE', async () => {
    let global: Answer = [200, { ruleType: 'COMPATIBILITY', config: 'FULL_TRANSITIVE' }];
    await start((request) => {
      if (request.url.includes('/artifacts/')) return [404, problem(404, 'RuleNotFoundException', 'No rule')];
      if (request.url.startsWith('/apis/registry/v3/groups/')) {
        return [404, problem(404, 'GroupNotFoundException', "No group 'null' was found.")];
      }
      return global;
    });
    expect(await clientOf().getCompatibility('x')).toBe('FULL_TRANSITIVE');
    expect(paths()).toEqual([
      'GET /groups/default/artifacts/x/rules/COMPATIBILITY',
      'GET /groups/default/rules/COMPATIBILITY',
      'GET /admin/rules/COMPATIBILITY',
    ]);
    global = [404, problem(404, 'RuleNotFoundException', 'No rule')];
    expect(await clientOf().getCompatibility()).toBe('NONE');
    expect(paths().at(-1)).toBe('GET /admin/rules/COMPATIBILITY');
  });

  it('refuses a rule whose config is not a compatibility level', async () => {
    await start(() => [200, { ruleType: 'COMPATIBILITY', config: 'BOGUS' }]);
    await expect(clientOf().getCompatibility()).rejects.toMatchObject({ code: ErrorCode.RegistryError });
  });

  it('updates a rule, or creates it where there is none', async () => {
    await start((request) =>
      request.method === 'PUT' && request.url.startsWith('/apis/registry/v3/admin/')
        ? [404, problem(404, 'RuleNotFoundException', 'No rule')]
        : request.method === 'PUT'
          ? [200, { ruleType: 'COMPATIBILITY', config: 'FULL' }]
          : [204, '', 'text/plain'],
    );
    await clientOf().setCompatibility('FULL', 'x');
    await clientOf().setCompatibility('BACKWARD');
    expect(paths()).toEqual([
      'PUT /groups/default/artifacts/x/rules/COMPATIBILITY',
      'PUT /admin/rules/COMPATIBILITY',
      'POST /admin/rules',
    ]);
    expect(JSON.parse(stub.requests[2]!.body)).toEqual({ ruleType: 'COMPATIBILITY', config: 'BACKWARD' });
  });

  it('does not create a rule for a missing artifact, nor store a level it does not know', async () => {
    await start(() => [404, problem(404, 'ArtifactNotFoundException', 'No artifact')]);
    await expect(clientOf().setCompatibility('FULL', 'x')).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      subject: 'x',
    });
    await expect(clientOf().setCompatibility('SOMETIMES' as 'FULL')).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
    });
    expect(paths()).toEqual(['PUT /groups/default/artifacts/x/rules/COMPATIBILITY']);
  });
});

describe('registry > apicurio rest > deletes', () => {
  it('soft-deletes a version by disabling it, and deletes it permanently once disabled', async () => {
    let state = 'ENABLED';
    await start((request) => {
      if (request.method === 'GET') return [200, version({ version: '2', globalId: 1, contentId: 1, state })];
      return [204, '', 'text/plain'];
    });
    expect(await clientOf().deleteVersion('x', 2)).toBe(2);
    expect(JSON.parse(stub.requests[1]!.body)).toEqual({ state: 'DISABLED' });
    await expect(clientOf().deleteVersion('x', 2, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
      subject: 'x',
      version: 2,
    });
    state = 'DISABLED';
    await expect(clientOf().deleteVersion('x', 2)).rejects.toMatchObject({ code: ErrorCode.VersionNotFound });
    expect(await clientOf().deleteVersion('x', 2, { permanent: true })).toBe(2);
    expect(paths()).toEqual([
      'GET /groups/default/artifacts/x/versions/2',
      'PUT /groups/default/artifacts/x/versions/2/state',
      'GET /groups/default/artifacts/x/versions/2',
      'GET /groups/default/artifacts/x/versions/2',
      'GET /groups/default/artifacts/x/versions/2',
      'DELETE /groups/default/artifacts/x/versions/2',
    ]);
  });

  it('answers SCHEMAWIRE_UNSUPPORTED where the registry has deletes switched off', async () => {
    await start((request) =>
      request.method === 'GET'
        ? [200, version({ version: '2', globalId: 1, contentId: 1, state: 'DISABLED' })]
        : [405, problem(405, 'NotAllowedException', 'Artifact version deletion operation is not enabled.')],
    );
    const error = await failure(clientOf().deleteVersion('x', 2, { permanent: true }));
    expect(error).toMatchObject({ code: ErrorCode.Unsupported, httpStatus: 405, subject: 'x', version: 2 });
    expect(error.message).toBe(
      'cannot complete registry request: DELETE /groups/default/artifacts/x/versions/2 answered 405 NotAllowedException: "Artifact version deletion operation is not enabled."',
    );
  });

  it('soft-deletes a subject by disabling its live versions, and deletes it once all are disabled', async () => {
    let versions = [
      version({ version: '1', globalId: 1, contentId: 1 }),
      version({ version: '2', globalId: 2, contentId: 1, state: 'DISABLED' }),
      version({ version: '3', globalId: 3, contentId: 1 }),
    ];
    await start((request) =>
      request.method === 'GET' ? [200, { count: versions.length, versions }] : [204, '', 'text/plain'],
    );
    expect(await clientOf().deleteSubject('x')).toEqual([1, 3]);
    expect(paths().slice(1)).toEqual([
      'PUT /groups/default/artifacts/x/versions/1/state',
      'PUT /groups/default/artifacts/x/versions/3/state',
    ]);
    await expect(clientOf().deleteSubject('x', { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
    });
    versions = versions.map((entry) => ({ ...entry, state: 'DISABLED' }));
    await expect(clientOf().deleteSubject('x')).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    expect(await clientOf().deleteSubject('x', { permanent: true })).toEqual([1, 2, 3]);
    expect(paths().at(-1)).toBe('DELETE /groups/default/artifacts/x');
  });
});

describe('registry > apicurio rest > errors', () => {
  it.each<[number, string, ErrorCodeType]>([
    [404, 'ArtifactNotFoundException', ErrorCode.SubjectNotFound],
    [404, 'GroupNotFoundException', ErrorCode.SubjectNotFound],
    [404, 'VersionNotFoundException', ErrorCode.VersionNotFound],
    [404, 'ContentNotFoundException', ErrorCode.SchemaNotFound],
    [400, 'RuleViolationException', ErrorCode.IncompatibleSchema],
    [422, 'UnprocessableSchemaException', ErrorCode.InvalidSchema],
    [400, 'InvalidArtifactIdException', ErrorCode.InvalidRequest],
    [409, 'ArtifactAlreadyExistsException', ErrorCode.InvalidRequest],
    [405, 'NotAllowedException', ErrorCode.Unsupported],
    [401, 'unnamed', ErrorCode.RegistryUnauthorized],
    [403, 'ForbiddenException', ErrorCode.RegistryUnauthorized],
    [404, 'unnamed', ErrorCode.SchemaNotFound],
    [400, 'SomethingNewException', ErrorCode.InvalidRequest],
    [418, 'unnamed', ErrorCode.RegistryError],
  ])('maps a %i %s answer to its code', async (status, name, code) => {
    await start(() => [status, name === 'unnamed' ? { status, title: 'no' } : problem(status, name, 'no')]);
    await expect(clientOf().listVersions('x')).rejects.toMatchObject({
      code,
      httpStatus: status,
      subject: 'x',
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('puts the title, a detail that says more, and the causes into the message', async () => {
    await start(() => [
      422,
      {
        status: 422,
        name: 'UnprocessableSchemaException',
        title: 'Could not execute compatibility rule on invalid Avro schema',
        detail: 'SchemaParseException: Record has no fields',
        causes: [{ description: 'fields', context: '/' }],
      },
    ]);
    const error = await failure(clientOf().register('x', avroUser));
    expect(error).toMatchObject({ code: ErrorCode.InvalidSchema, subject: 'x', retriable: false });
    expect(error.message).toBe(
      'cannot complete registry request: POST /groups/default/artifacts answered 422 UnprocessableSchemaException: "Could not execute compatibility rule on invalid Avro schema" ("SchemaParseException: Record has no fields"), causes: ["fields at /"]',
    );
  });

  it('maps an answer that is not problem details by its status and quotes it', async () => {
    stub = await startStubServer((_request, _index, response) => {
      response.writeHead(403, { 'content-type': 'text/html' });
      response.end('<html>denied</html>');
    });
    const error = await failure(clientOf().listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnauthorized, httpStatus: 403 });
    expect(error.message).toContain('answered 403: "<html>denied</html>"');
  });

  it('retries 5xx answers and then reports the registry unavailable', async () => {
    await start((_request, index) =>
      index < 2 ? [503, problem(503, 'StorageBusyException', 'busy')] : [200, { count: 0, versions: [] }],
    );
    expect(await clientOf({ retries: 2 }).listSubjects()).toEqual([]);
    expect(stub.requests).toHaveLength(3);
    await stub.close();
    await start(() => [503, problem(503, 'StorageBusyException', 'busy')]);
    await expect(clientOf({ retries: 1 }).listSubjects()).rejects.toMatchObject({
      code: ErrorCode.RegistryUnavailable,
      retriable: true,
      httpStatus: 503,
    });
    expect(stub.requests).toHaveLength(2);
  });

  it('reports a registry that does not answer in time', async () => {
    stub = await startStubServer(() => {
      // Never answers.
    });
    const error = await failure(clientOf({ timeoutMs: 50, retries: 0 }).getVersion('x', 1));
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, subject: 'x', version: 1 });
    expect(error.message).toBe(
      'cannot reach registry: GET /groups/default/artifacts/x/versions/1 timed out after 50 ms (1 attempt)',
    );
  });
});

describe('registry > apicurio rest > auth and options', () => {
  it('sends Basic auth from user info, keeps it out of the URL and out of messages', async () => {
    await start((request) => [
      401,
      problem(401, 'NotAuthorizedException', `bad credentials: ${request.headers.authorization}`),
    ]);
    const client = new ApicurioRestClient({
      baseUrl: `${stub.url.replace('http://', 'http://alice:s3cret@')}/apis/registry/v3/`,
      retries: 0,
    });
    expect(client.baseUrl).toBe(`${stub.url}/apis/registry/v3`);
    const error = await failure(client.listVersions('x'));
    expect(stub.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    );
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnauthorized, httpStatus: 401 });
    expect(error.message).toContain('bad credentials');
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain(Buffer.from('alice:s3cret').toString('base64'));
  });

  it('sends a bearer token and the configured headers', async () => {
    await start(() => [200, { count: 0, versions: [] }]);
    await clientOf({ auth: { token: 'tok-1' }, headers: { 'X-Tenant': 'blue' } }).listSubjects();
    expect(stub.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'x-tenant': 'blue',
      accept: 'application/json, */*; q=0.5',
    });
  });

  it('encodes subjects and groups into the path', async () => {
    await start(() => [200, { count: 0, versions: [] }]);
    await expect(clientOf({ groupId: 'a/b' }).listVersions('odd/subject name?#')).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
    });
    expect(paths()).toEqual([
      'GET /groups/a%2Fb/artifacts/odd%2Fsubject%20name%3F%23/versions?offset=0&limit=500',
    ]);
  });

  it('refuses an empty groupId and a base URL that is not one, without repeating it', () => {
    expect(() => new ApicurioRestClient({ baseUrl: 'http://registry', groupId: '' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Config }),
    );
    expect(() => new ApicurioRestClient({ baseUrl: 'alice:s3cret at registry' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.not.stringContaining('s3cret') }),
    );
  });
});
