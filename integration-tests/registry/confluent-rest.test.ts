import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Schema } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import { apicurioCall, failure, registryUrls, uniqueSubject, userSchemas } from './registry-stack.js';

// ConfluentRestClient against Apicurio's Confluent-compatible API. Where Apicurio answers otherwise
// than Confluent's registry would, the test asserts Apicurio's answer and says so ("deviation").
const { apicurioUrl, confluentUrl } = registryUrls();
const client = new ConfluentRestClient({ baseUrl: confluentUrl, retryBackoffMs: 10 });
// The native client sees the same storage, to check what the Confluent API did to it.
const native = new ApicurioRestClient({ baseUrl: apicurioUrl });
const artifactPath = (subject: string) => `/groups/default/artifacts/${encodeURIComponent(subject)}`;

describe('registry > confluent rest > against Apicurio ccompat', () => {
  it('registers and reads back schemas; ids are Apicurio contentIds, answers have no version or guid', async () => {
    const subject = uniqueSubject('ccompat');
    const { v1, v2 } = userSchemas();
    const first = await client.register(subject, v1);
    // Deviation: the registration answer holds the id only, never a version or guid.
    expect(first).toEqual({ ...v1, references: [], id: first.id, subject });
    expect(first.id).toBeGreaterThan(0);
    expect(await client.register(subject, v1)).toEqual(first);
    const second = await client.register(subject, v2);
    expect(second.id).not.toBe(first.id);
    expect((await native.getVersion(subject, 2)).id).toBe(second.id);

    expect(await client.lookup(subject, v1)).toEqual({
      ...v1,
      references: [],
      id: first.id,
      subject,
      version: 1,
    });
    const byId = await client.getSchema({ kind: 'id', id: first.id });
    expect(byId).toEqual({ ...v1, references: [], id: first.id });
    expect(await client.getSchema({ kind: 'contentId', contentId: first.id })).toEqual(byId);
    expect(await client.getVersion(subject, 'latest')).toEqual({
      ...v2,
      references: [],
      id: second.id,
      subject,
      version: 2,
    });
    expect(await client.getVersion(subject, 1)).toMatchObject({ id: first.id, version: 1 });
    expect(await client.listVersions(subject)).toEqual([1, 2]);
    expect(await client.listSubjects()).toContain(subject);
    expect(await client.getSubjectVersionsOfId(first.id)).toEqual([{ subject, version: 1 }]);
  });

  it('finds a reformatted schema with or without normalize', async () => {
    const subject = uniqueSubject('ccompat');
    const { v1 } = userSchemas();
    const reformatted: Schema = { ...v1, schema: JSON.stringify(JSON.parse(v1.schema), null, 2) };
    const first = await client.register(subject, v1);
    expect(await client.register(subject, reformatted)).toMatchObject({ id: first.id });
    expect(await client.register(subject, reformatted, { normalize: true })).toMatchObject({ id: first.id });
    expect(await client.lookup(subject, reformatted)).toMatchObject({ id: first.id, version: 1 });
    expect(await client.lookup(subject, reformatted, { normalize: true })).toMatchObject({ version: 1 });
    expect(await client.listVersions(subject)).toEqual([1]);
  });

  it('registers PROTOBUF and JSON schemas and reads their types back', async () => {
    const unique = randomUUID().replaceAll('-', '');
    const schemas: Schema[] = [
      {
        schemaType: 'PROTOBUF',
        schema: `syntax = "proto3";\npackage test${unique};\n\nmessage Order {\n  int32 id = 1;\n}\n`,
      },
      {
        schemaType: 'JSON',
        schema: JSON.stringify({
          $id: `urn:${unique}`,
          type: 'object',
          properties: { id: { type: 'integer' } },
        }),
      },
    ];
    for (const schema of schemas) {
      const subject = uniqueSubject(schema.schemaType.toLowerCase());
      const { id } = await client.register(subject, schema);
      expect(await client.getSchema({ kind: 'id', id })).toMatchObject({ schemaType: schema.schemaType });
      expect(await client.getVersion(subject, 1)).toMatchObject({ schemaType: schema.schemaType, id });
      expect(await client.lookup(subject, schema)).toMatchObject({ id, version: 1 });
    }
  });

  it('keeps references, and refuses an unresolved one as an invalid schema', async () => {
    const namespace = `ns${randomUUID().replaceAll('-', '')}`;
    const addressSubject = uniqueSubject('address');
    const userSubject = uniqueSubject('user');
    await client.register(addressSubject, {
      schemaType: 'AVRO',
      schema: JSON.stringify({
        type: 'record',
        name: 'Address',
        namespace,
        fields: [{ name: 'c', type: 'string' }],
      }),
    });
    const references = [{ name: `${namespace}.Address`, subject: addressSubject, version: 1 }];
    const user: Schema = {
      schemaType: 'AVRO',
      schema: JSON.stringify({
        type: 'record',
        name: 'User',
        namespace,
        fields: [{ name: 'home', type: `${namespace}.Address` }],
      }),
      references,
    };
    const { id } = await client.register(userSubject, user);
    expect(await client.getVersion(userSubject, 1)).toMatchObject({ id, references });
    expect(await client.getSchema({ kind: 'id', id })).toMatchObject({ references });
    expect(await client.lookup(userSubject, user)).toMatchObject({ id, version: 1, references });
    expect(await native.getVersion(userSubject, 1)).toMatchObject({ id, references });

    const unresolved = await failure(
      client.register(uniqueSubject('user'), {
        ...user,
        references: [{ ...references[0]!, subject: uniqueSubject('missing') }],
      }),
    );
    expect(unresolved).toMatchObject({
      code: ErrorCode.InvalidSchema,
      registryErrorCode: 42201,
      httpStatus: 422,
    });
    expect(unresolved.message).toContain('Unresolved reference');
  });

  it('maps error codes; Apicurio has no GUIDs and checks schemas as it registers them', async () => {
    const subject = uniqueSubject('ccompat');
    const missing = uniqueSubject('missing');
    const { v1, v2 } = userSchemas();
    await client.register(subject, v1);
    await expect(client.getVersion(missing, 1)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
      httpStatus: 404,
      subject: missing,
    });
    await expect(client.listVersions(missing)).rejects.toMatchObject({ registryErrorCode: 40401 });
    await expect(client.getVersion(subject, 9)).rejects.toMatchObject({
      code: ErrorCode.VersionNotFound,
      registryErrorCode: 40402,
      version: 9,
    });
    const huge = 2 ** 40;
    await expect(client.getSchema({ kind: 'id', id: huge })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      registryErrorCode: 40403,
      schemaId: huge,
    });
    await expect(client.getSubjectVersionsOfId(huge)).rejects.toMatchObject({ registryErrorCode: 40403 });
    await expect(client.lookup(subject, v2)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      registryErrorCode: 40403,
    });
    await expect(client.lookup(missing, v2)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
    });
    // Deviation: no /schemas/guids route; a bare 404 without an error_code.
    const guid = await failure(client.getSchema({ kind: 'guid', guid: randomUUID() }));
    expect(guid).toMatchObject({
      code: ErrorCode.SchemaNotFound,
      httpStatus: 404,
      registryErrorCode: undefined,
    });
    await expect(client.getSchema({ kind: 'globalId', globalId: 1 })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
    // Unlike the native API, which stores any text, ccompat parses what it registers.
    for (const schema of [
      { schemaType: 'AVRO', schema: 'not json' },
      { schemaType: 'AVRO', schema: '{"type":"record","name":"X"}' },
      { schemaType: 'PROTOBUF', schema: 'message {' },
    ] as const) {
      const invalid = await failure(client.register(uniqueSubject('invalid'), schema));
      expect(invalid).toMatchObject({
        code: ErrorCode.InvalidSchema,
        registryErrorCode: 42201,
        httpStatus: 422,
      });
      // Deviation: the message says why the type was not recognized, not what is wrong in the schema.
      expect(invalid.message).toContain('Failed to discover artifact type from content');
    }
  });

  it('takes subject names the native API refuses as artifact ids', async () => {
    const subject = `odd/${randomUUID()} name?#%`;
    const { v1 } = userSchemas();
    await client.register(subject, v1);
    expect(await client.listVersions(subject)).toEqual([1]);
    expect(await client.listSubjects()).toContain(subject);
    await expect(native.register(uniqueSubject('odd%'), v1)).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
      httpStatus: 400,
    });
  });

  it('keeps subject levels as artifact COMPATIBILITY rules; verbose checks say nothing', async () => {
    const subject = uniqueSubject('ccompat');
    const { v1, v2, breaking } = userSchemas();
    await client.register(subject, v1);
    await client.setCompatibility('BACKWARD', subject);
    expect(await client.getCompatibility(subject)).toBe('BACKWARD');
    expect(
      await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/rules/COMPATIBILITY`),
    ).toMatchObject({
      body: { config: 'BACKWARD' },
    });

    // Deviation: `verbose=true` is ignored, so an incompatible schema comes with no messages.
    expect(await client.testCompatibility(subject, breaking)).toEqual({ compatible: false, messages: [] });
    expect(await client.testCompatibility(subject, breaking, 1)).toEqual({ compatible: false, messages: [] });
    expect(await client.testCompatibility(subject, v2)).toEqual({ compatible: true, messages: [] });
    expect(await client.testCompatibility(uniqueSubject('fresh'), breaking)).toEqual({
      compatible: true,
      messages: [],
    });
    await expect(
      client.testCompatibility(subject, { schemaType: 'AVRO', schema: 'not json' }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidSchema, registryErrorCode: 42201 });

    const refused = await failure(client.register(subject, breaking));
    expect(refused).toMatchObject({
      code: ErrorCode.IncompatibleSchema,
      registryErrorCode: 409,
      httpStatus: 409,
    });
    // Deviation: the message names Apicurio's Java exception and the differences it found.
    expect(refused.message).toContain('RuleViolationException: Incompatible artifact');
    expect(refused.message).toContain('email at /fields/1');

    // A level for a subject that does not exist yet is kept, as in Confluent's registry.
    const future = uniqueSubject('future');
    await client.setCompatibility('FULL', future);
    expect(await client.getCompatibility(future)).toBe('FULL');
    // Deviation: `defaultToGlobal` is ignored; an unknown subject without a level of its own is 40401.
    await expect(client.getCompatibility(uniqueSubject('missing'))).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
    });
  });

  it('soft-deletes by disabling versions, which stay readable by id', async () => {
    const subject = uniqueSubject('ccompat');
    const { v1, v2 } = userSchemas();
    await client.register(subject, v1);
    const second = await client.register(subject, v2);

    expect(await client.deleteVersion(subject, 2)).toBe(2);
    expect(await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/versions/2`)).toMatchObject({
      body: { state: 'DISABLED' },
    });
    expect(await client.listVersions(subject)).toEqual([1]);
    await expect(client.getVersion(subject, 2)).rejects.toMatchObject({ registryErrorCode: 40402 });
    expect(await client.getSchema({ kind: 'id', id: second.id })).toMatchObject({ schema: v2.schema });
    await expect(client.lookup(subject, v2)).rejects.toMatchObject({ registryErrorCode: 40403 });
    expect(await client.lookup(subject, v2, { deleted: true })).toMatchObject({ id: second.id, version: 2 });
    expect(await client.getSubjectVersionsOfId(second.id)).toEqual([]);
    // Deviation: 40406 and 40407 come with HTTP 409, where Confluent's registry answers 404.
    await expect(client.deleteVersion(subject, 2)).rejects.toMatchObject({
      code: ErrorCode.VersionNotFound,
      registryErrorCode: 40406,
      httpStatus: 409,
    });
    await expect(client.deleteVersion(subject, 1, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
      registryErrorCode: 40407,
      httpStatus: 409,
    });

    expect(await client.register(subject, v2)).toMatchObject({ id: second.id });
    expect(await client.listVersions(subject)).toEqual([1, 3]);
    await client.deleteVersion(subject, 3);

    // Deviation: 40405 comes with HTTP 409 too.
    await expect(client.deleteSubject(subject, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
      registryErrorCode: 40405,
      httpStatus: 409,
    });
    // Deviation: a soft delete of the subject lists the versions soft-deleted before it too.
    expect(await client.deleteSubject(subject)).toEqual([1, 2, 3]);
    await expect(client.listVersions(subject)).rejects.toMatchObject({ registryErrorCode: 40401 });
    await expect(client.getVersion(subject, 'latest')).rejects.toMatchObject({ registryErrorCode: 40401 });
    expect(await client.listSubjects()).not.toContain(subject);
    expect(await client.listSubjects({ deleted: true })).toContain(subject);
    await expect(client.deleteSubject(subject)).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40404,
      httpStatus: 404,
    });
  });

  it('deletes permanently after a soft delete, though native deletes are switched off', async () => {
    const subject = uniqueSubject('ccompat');
    const { v1, v2 } = userSchemas();
    await client.register(subject, v1);
    await client.register(subject, v2);
    await client.deleteVersion(subject, 2);
    expect(await client.deleteVersion(subject, 2, { permanent: true })).toBe(2);
    expect(await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/versions/2`)).toMatchObject({
      status: 404,
    });
    expect(await client.listVersions(subject)).toEqual([1]);
    expect(await client.deleteSubject(subject)).toEqual([1]);
    expect(await client.deleteSubject(subject, { permanent: true })).toEqual([1]);
    expect(await client.listSubjects({ deleted: true })).not.toContain(subject);
    expect(await apicurioCall(apicurioUrl, 'GET', artifactPath(subject))).toMatchObject({ status: 404 });
    await expect(client.deleteSubject(subject, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
    });
    await expect(client.deleteVersion(uniqueSubject('missing'), 1)).rejects.toMatchObject({
      registryErrorCode: 40401,
    });
  });
});
