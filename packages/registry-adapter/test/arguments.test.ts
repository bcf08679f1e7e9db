import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Schema, SchemaRegistryClient } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import { failure } from './support/failures.js';
import type { StubServer } from './support/stub-server.js';
import { json, startStubServer } from './support/stub-server.js';

const schema: Schema = { schemaType: 'AVRO', schema: '"string"' };

/** A client called the way plain JavaScript may call it, with arguments its types would refuse. */
type Loose = Record<string, (...args: unknown[]) => Promise<unknown>>;

// Each call with one malformed argument, and what the error says of it.
const calls: [string, (client: Loose) => Promise<unknown>, string][] = [
  [
    'getSchema(1)',
    (c) => c['getSchema']!(1),
    'cannot get schema: the id must be a schema id such as {"kind":"id","id":1}, not 1',
  ],
  [
    'getSchema with a kind it does not know',
    (c) => c['getSchema']!({ kind: 'offset', id: 1 }),
    'cannot get schema: the id must be a schema id such as {"kind":"id","id":1}, not {"kind":"offset","id":1}',
  ],
  [
    'getSchema with a negative id',
    (c) => c['getSchema']!({ kind: 'id', id: -1 }),
    'cannot get schema: the id must be a whole number from 0, not -1',
  ],
  [
    'getSchema with a guid that is no string',
    (c) => c['getSchema']!({ kind: 'guid', guid: 7 }),
    'cannot get schema: the guid must be a non-empty string, not 7',
  ],
  [
    'getSubjectVersionsOfId("1")',
    (c) => c['getSubjectVersionsOfId']!('1'),
    'cannot get the subjects of schema id: the id must be a whole number from 0, not "1"',
  ],
  [
    'getSubjectVersionsOfId(1.5)',
    (c) => c['getSubjectVersionsOfId']!(1.5),
    'cannot get the subjects of schema id: the id must be a whole number from 0, not 1.5',
  ],
  [
    'register(undefined, …)',
    (c) => c['register']!(undefined, schema),
    'cannot register schema: the subject must be a non-empty string, not undefined',
  ],
  [
    'lookup("", …)',
    (c) => c['lookup']!('', schema),
    'cannot look up schema: the subject must be a non-empty string, not ""',
  ],
  [
    'getVersion(s, 0)',
    (c) => c['getVersion']!('s', 0),
    'cannot get version: the version must be a whole number from 1 or "latest", not 0',
  ],
  [
    'getVersion(s, "1")',
    (c) => c['getVersion']!('s', '1'),
    'cannot get version: the version must be a whole number from 1 or "latest", not "1"',
  ],
  [
    'getVersion(7, 1)',
    (c) => c['getVersion']!(7, 1),
    'cannot get version: the subject must be a non-empty string, not 7',
  ],
  [
    'listVersions(null)',
    (c) => c['listVersions']!(null),
    'cannot list versions: the subject must be a non-empty string, not null',
  ],
  [
    'testCompatibility(s, …, NaN)',
    (c) => c['testCompatibility']!('s', schema, Number.NaN),
    'cannot test compatibility: the version must be a whole number from 1 or "latest", not NaN',
  ],
  [
    'getCompatibility("")',
    (c) => c['getCompatibility']!(''),
    'cannot get compatibility: the subject must be a non-empty string, not ""',
  ],
  [
    'setCompatibility(level, 1)',
    (c) => c['setCompatibility']!('FULL', 1),
    'cannot set compatibility: the subject must be a non-empty string, not 1',
  ],
  [
    'deleteSubject({})',
    (c) => c['deleteSubject']!({}),
    'cannot delete subject: the subject must be a non-empty string, not {}',
  ],
  [
    'deleteVersion(s, "latest")',
    (c) => c['deleteVersion']!('s', 'latest'),
    'cannot delete version: the version must be a whole number from 1, not "latest"',
  ],
];

describe('registry > arguments', () => {
  let stub: StubServer;
  beforeAll(async () => {
    stub = await startStubServer((_request, _index, response) =>
      json(response, 500, { message: 'never asked' }),
    );
  });
  afterAll(() => stub.close());

  const clients: [string, () => SchemaRegistryClient][] = [
    ['confluent rest', () => new ConfluentRestClient({ baseUrl: stub.url, retries: 0 })],
    ['apicurio rest', () => new ApicurioRestClient({ baseUrl: stub.url, retries: 0 })],
  ];

  describe.each(clients)('registry > arguments > %s', (_, clientOf) => {
    it.each(calls)(
      '%s: SCHEMAWIRE_CONFIG naming the argument, and no request',
      async (_call, call, message) => {
        const before = stub.requests.length;
        const error = await failure(call(clientOf() as unknown as Loose));
        expect(error).toMatchObject({ code: ErrorCode.Config, message });
        expect(stub.requests.length).toBe(before);
      },
    );
  });
});
