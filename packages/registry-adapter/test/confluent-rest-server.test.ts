import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConfluentRestServer } from '@schemawire/registry-adapter';
import {
  ConfluentRestClient,
  EmbeddedRegistry,
  startConfluentRestServer,
} from '@schemawire/registry-adapter';
import { confluentSchemaRegistryClient, kafkaJsSchemaRegistry } from './support/peer-libraries.js';
import { textFormat } from './support/text-format.js';

const USER_AVRO = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ],
});

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly contentType: string | null;
}

describe('registry > confluent rest server', () => {
  let server: ConfluentRestServer;
  let call: (method: string, path: string, body?: unknown) => Promise<Reply>;
  beforeAll(async () => {
    server = await startConfluentRestServer(
      new EmbeddedRegistry({ formats: [textFormat('JSON'), textFormat('AVRO')] }),
      { port: 0 },
    );
    call = async (method, path, body) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return {
        status: response.status,
        body: parsed,
        text,
        contentType: response.headers.get('content-type'),
      };
    };
  });
  afterAll(() => server.close());

  describe('registry > confluent rest server > endpoints', () => {
    it('listens on 127.0.0.1 and answers GET / with {}', async () => {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await call('GET', '/')).toMatchObject({
        status: 200,
        body: {},
        contentType: 'application/vnd.schemaregistry.v1+json',
      });
    });

    it('lists the schema types of the embedded registry', async () => {
      expect((await call('GET', '/schemas/types')).body).toEqual(['JSON', 'AVRO']);
    });

    it('registers (AVRO when no schemaType is sent) and serves the schema by id, subject and version', async () => {
      const registered = await call('POST', '/subjects/users-value/versions', { schema: USER_AVRO });
      expect(registered).toMatchObject({ status: 200, body: { id: 1, version: 1, subject: 'users-value' } });
      const { guid } = registered.body as { guid: string };
      expect(guid).toMatch(/^[0-9a-f-]{36}$/);
      expect((await call('GET', '/schemas/ids/1')).body).toEqual({
        schema: USER_AVRO,
        schemaType: 'AVRO',
        references: [],
        guid,
      });
      expect((await call('GET', `/schemas/guids/${guid}`)).body).toMatchObject({ schema: USER_AVRO, id: 1 });
      expect((await call('GET', '/schemas/ids/1/subjects')).body).toEqual(['users-value']);
      expect((await call('GET', '/schemas/ids/1/versions')).body).toEqual([
        { subject: 'users-value', version: 1 },
      ]);
      for (const version of ['1', 'latest', '-1']) {
        expect((await call('GET', `/subjects/users-value/versions/${version}`)).body).toEqual({
          subject: 'users-value',
          id: 1,
          version: 1,
          schema: USER_AVRO,
          schemaType: 'AVRO',
          references: [],
          guid,
        });
      }
      expect((await call('GET', '/subjects/users-value/versions/1/schema')).text).toBe(USER_AVRO);
      expect((await call('GET', '/schemas/ids/1/schema')).text).toBe(USER_AVRO);
      expect((await call('POST', '/subjects/users-value', { schema: USER_AVRO })).body).toMatchObject({
        id: 1,
        version: 1,
        subject: 'users-value',
      });
      expect((await call('GET', '/subjects')).body).toContain('users-value');
      expect((await call('GET', '/subjects/users-value/versions')).body).toEqual([1]);
    });

    it('reads and sets compatibility levels, globally and per subject', async () => {
      expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
      expect((await call('PUT', '/config/config-value', { compatibility: 'NONE' })).body).toEqual({
        compatibility: 'NONE',
      });
      expect((await call('GET', '/config/config-value?defaultToGlobal=true')).body).toEqual({
        compatibilityLevel: 'NONE',
      });
      expect((await call('GET', '/config/other-value')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('tests compatibility, with messages only when verbose', async () => {
      const schema = JSON.stringify({ properties: { id: {} } });
      await call('POST', '/subjects/compat-value/versions', { schema, schemaType: 'JSON' });
      const candidate = { schema: JSON.stringify({ required: ['name'] }), schemaType: 'JSON' };
      expect(
        (await call('POST', '/compatibility/subjects/compat-value/versions/latest', candidate)).body,
      ).toEqual({ is_compatible: false });
      const verbose = await call(
        'POST',
        '/compatibility/subjects/compat-value/versions/1?verbose=true',
        candidate,
      );
      expect(verbose.body).toMatchObject({
        is_compatible: false,
        messages: [expect.stringContaining('"name"')],
      });
    });

    it('deletes softly and permanently, by number or latest', async () => {
      const schema = (title: string) => ({ schema: JSON.stringify({ title }), schemaType: 'JSON' });
      await call('PUT', '/config/gone-value', { compatibility: 'NONE' });
      await call('POST', '/subjects/gone-value/versions', schema('a'));
      await call('POST', '/subjects/gone-value/versions', schema('b'));
      expect((await call('DELETE', '/subjects/gone-value/versions/latest')).body).toBe(2);
      expect((await call('DELETE', '/subjects/gone-value/versions/2?permanent=true')).body).toBe(2);
      expect((await call('DELETE', '/subjects/gone-value')).body).toEqual([1]);
      expect((await call('GET', '/subjects?deleted=true')).body).toContain('gone-value');
      expect((await call('DELETE', '/subjects/gone-value?permanent=true')).body).toEqual([1]);
      expect((await call('GET', '/subjects?deleted=true')).body).not.toContain('gone-value');
    });

    it('decodes subjects that hold encoded slashes and spaces', async () => {
      const subject = encodeURIComponent('a/b c');
      await call('POST', `/subjects/${subject}/versions`, {
        schema: '{"title":"slash"}',
        schemaType: 'JSON',
      });
      expect((await call('GET', '/subjects')).body).toContain('a/b c');
    });
  });

  describe('registry > confluent rest server > errors', () => {
    beforeAll(async () => {
      await call('POST', '/subjects/users-value/versions', { schema: USER_AVRO });
    });

    it.each([
      ['GET', '/subjects/missing/versions', undefined, 404, 40401],
      ['GET', '/subjects/users-value/versions/9', undefined, 404, 40402],
      ['GET', '/schemas/ids/999', undefined, 404, 40403],
      ['GET', '/schemas/ids/abc', undefined, 404, 40403],
      ['POST', '/subjects/users-value', { schema: '{"name":"Other"}' }, 404, 40403],
      ['POST', '/subjects/users-value/versions', { schema: '{"required":["x"]}' }, 409, 409],
      ['POST', '/subjects/users-value/versions', { schema: 'not json' }, 422, 42201],
      ['POST', '/subjects/users-value/versions', { schemaType: 'AVRO' }, 422, 42201],
      ['POST', '/subjects/users-value/versions', { schema: '{}', schemaType: 'XML' }, 422, 42201],
      ['POST', '/subjects/users-value/versions', '{"schema":', 400, 400],
      ['GET', '/subjects/users-value/versions/zero', undefined, 422, 42202],
      ['PUT', '/config', { compatibility: 'SIDEWAYS' }, 422, 42203],
      ['DELETE', '/subjects/users-value?permanent=true', undefined, 404, 40405],
      ['GET', '/no/such/route', undefined, 404, 404],
    ])('%s %s answers %i with error_code %i', async (method, path, body, status, errorCode) => {
      const reply = await call(method, path, body);
      expect(reply.status).toBe(status);
      expect(reply.body).toEqual({ error_code: errorCode, message: expect.stringMatching(/\S/) });
    });

    it('answers 40404, 40406 and 40407 for the soft-delete rules', async () => {
      const schema = (title: string) => ({ schema: JSON.stringify({ title }), schemaType: 'JSON' });
      await call('PUT', '/config/rules-value', { compatibility: 'NONE' });
      await call('POST', '/subjects/rules-value/versions', schema('a'));
      await call('POST', '/subjects/rules-value/versions', schema('b'));
      expect((await call('DELETE', '/subjects/rules-value/versions/1?permanent=true')).body).toMatchObject({
        error_code: 40407,
      });
      await call('DELETE', '/subjects/rules-value/versions/1');
      expect((await call('DELETE', '/subjects/rules-value/versions/1')).body).toMatchObject({
        error_code: 40406,
      });
      await call('DELETE', '/subjects/rules-value');
      expect((await call('DELETE', '/subjects/rules-value')).body).toMatchObject({ error_code: 40404 });
    });
  });

  describe('registry > confluent rest server > other registries', () => {
    it('serves any registry client, listing every schema type when it cannot know them', async () => {
      const proxy = await startConfluentRestServer(new ConfluentRestClient({ baseUrl: server.url }));
      try {
        const types = await fetch(`${proxy.url}/schemas/types`).then((response) => response.json());
        expect(types).toEqual(['AVRO', 'PROTOBUF', 'JSON']);
        const schema = await fetch(`${proxy.url}/schemas/ids/1`).then((response) => response.json());
        expect(schema).toMatchObject({ schema: USER_AVRO, schemaType: 'AVRO' });
      } finally {
        await proxy.close();
      }
    });
  });

  describe('registry > confluent rest server > peer libraries', () => {
    it('serves @kafkajs/confluent-schema-registry: register, encode, decode', async () => {
      const registry = await kafkaJsSchemaRegistry(server.url);
      const { id } = await registry.register(
        { type: 'AVRO', schema: USER_AVRO },
        { subject: 'kafkajs-value' },
      );
      const value = { id: 7, name: 'Ada' };
      const encoded = await registry.encode(id, value);
      expect(encoded.readUInt32BE(1)).toBe(id);
      // A second client has nothing cached, so decoding fetches the schema from the server.
      expect(await (await kafkaJsSchemaRegistry(server.url)).decode(encoded)).toEqual(value);
      expect(await registry.getLatestSchemaId('kafkajs-value')).toBe(id);
    });

    it('serves @confluentinc/schemaregistry: register, look up, read by id', async () => {
      const client = await confluentSchemaRegistryClient(server.url);
      const schema = { schemaType: 'JSON', schema: JSON.stringify({ title: 'Confluent' }) };
      const id = await client.register('confluent-value', schema);
      expect(await client.getId('confluent-value', schema)).toBe(id);
      expect(await client.getBySubjectAndId('confluent-value', id)).toMatchObject({ schema: schema.schema });
      expect(await client.getLatestSchemaMetadata('confluent-value')).toMatchObject({ id, version: 1 });
    });
  });

  it('closes, and closing twice is harmless', async () => {
    const other = await startConfluentRestServer(new EmbeddedRegistry({ formats: [textFormat()] }));
    await fetch(`${other.url}/`);
    await other.close();
    await other.close();
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  });
});
