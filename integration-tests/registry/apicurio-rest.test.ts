import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel, Schema } from '@schemawire/core-client';
import { Deserializer, decodeApicurioId, ErrorCode, Serializer } from '@schemawire/core-client';
import { ApicurioRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import {
  apicurioCall,
  failure,
  registryUrls,
  setApicurioProperty,
  uniqueSubject,
  userSchemas,
} from './registry-stack.js';

const { apicurioUrl } = registryUrls();
const client = new ApicurioRestClient({ baseUrl: apicurioUrl, retryBackoffMs: 10 });
const artifactPath = (subject: string) => `/groups/default/artifacts/${encodeURIComponent(subject)}`;

describe('registry > apicurio rest > against Apicurio Registry', () => {
  it('registers a schema once and reads it back by globalId, contentId, id and version', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1, v2 } = userSchemas();
    const first = await client.register(subject, v1);
    expect(first).toMatchObject({
      subject,
      version: 1,
      schemaType: 'AVRO',
      schema: v1.schema,
      references: [],
    });
    expect(first.id).toBeGreaterThan(0);
    expect(first.globalId).toBeGreaterThan(0);
    expect(await client.register(subject, v1)).toEqual(first);
    const second = await client.register(subject, v2);
    expect(second).toMatchObject({ subject, version: 2 });
    expect(second.globalId).not.toBe(first.globalId);
    expect(second.id).not.toBe(first.id);

    expect(await client.lookup(subject, v1)).toEqual(first);
    const byGlobalId = {
      schema: v1.schema,
      schemaType: 'AVRO',
      references: [],
      id: first.id,
      globalId: first.globalId,
      subject,
      version: 1,
    };
    expect(await client.getSchema({ kind: 'globalId', globalId: first.globalId! })).toEqual(byGlobalId);
    expect(await client.getSchema({ kind: 'contentId', contentId: first.id })).toEqual(byGlobalId);
    expect(await client.getSchema({ kind: 'id', id: second.id })).toMatchObject({
      schema: v2.schema,
      globalId: second.globalId,
      version: 2,
    });
    expect(await client.getVersion(subject, 'latest')).toMatchObject({
      schema: v2.schema,
      id: second.id,
      globalId: second.globalId,
      version: 2,
    });
    expect(await client.getVersion(subject, 1)).toEqual(byGlobalId);
    expect(await client.listVersions(subject)).toEqual([1, 2]);
    expect(await client.listSubjects()).toContain(subject);
    expect(await client.getSubjectVersionsOfId(first.id)).toEqual([{ subject, version: 1 }]);
  });

  it('answers typed errors with their context for what is not there', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1, v2 } = userSchemas();
    const missing = uniqueSubject('missing');
    const notFound = await failure(client.lookup(missing, v1));
    expect(notFound).toMatchObject({ code: ErrorCode.SubjectNotFound, subject: missing, httpStatus: 404 });
    expect(notFound.message).toMatch(
      /^cannot complete registry request: GET \/groups\/default\/artifacts\/missing-[0-9a-f-]+ answered 404 ArtifactNotFoundException: "No artifact with ID/,
    );
    await expect(client.listVersions(missing)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    await expect(client.getVersion(missing, 'latest')).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
    });
    // Apicurio says "no such version" for any version of a missing artifact; the client asks again.
    await expect(client.getVersion(missing, 1)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    await expect(client.deleteVersion(missing, 1)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    await expect(client.deleteSubject(missing)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });

    await client.register(subject, v1);
    await expect(client.lookup(subject, v2)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      subject,
    });
    await expect(client.getVersion(subject, 9)).rejects.toMatchObject({
      code: ErrorCode.VersionNotFound,
      subject,
      version: 9,
      retriable: false,
    });
    const huge = 2 ** 40;
    await expect(client.getSchema({ kind: 'globalId', globalId: huge })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    await expect(client.getSchema({ kind: 'contentId', contentId: huge })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      schemaId: huge,
    });
    await expect(client.getSubjectVersionsOfId(huge)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    await expect(client.getSchema({ kind: 'guid', guid: randomUUID() })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
  });

  it('matches the exact text, and canonical forms with normalize', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1 } = userSchemas();
    const reformatted: Schema = { ...v1, schema: JSON.stringify(JSON.parse(v1.schema), null, 2) };
    const first = await client.register(subject, v1);
    await expect(client.lookup(subject, reformatted)).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    expect(await client.lookup(subject, reformatted, { normalize: true })).toMatchObject({
      version: 1,
      globalId: first.globalId,
    });
    expect(await client.register(subject, reformatted, { normalize: true })).toMatchObject({ version: 1 });
    // Without normalize Apicurio keeps the new text as a new version (with its own content id).
    const exact = await client.register(subject, reformatted);
    expect(exact.version).toBe(2);
    expect(exact.id).not.toBe(first.id);
  });

  it('registers PROTOBUF and JSON schemas and reads their types back', async () => {
    const unique = randomUUID().replaceAll('-', '');
    const proto: Schema = {
      schemaType: 'PROTOBUF',
      schema: `syntax = "proto3";\npackage test${unique};\n\nmessage Order {\n  int32 id = 1;\n}\n`,
    };
    const jsonSchema: Schema = {
      schemaType: 'JSON',
      schema: JSON.stringify({
        $id: `urn:${unique}`,
        type: 'object',
        properties: { id: { type: 'integer' } },
      }),
    };
    for (const schema of [proto, jsonSchema]) {
      const subject = uniqueSubject(schema.schemaType.toLowerCase());
      const registered = await client.register(subject, schema);
      expect(registered).toMatchObject({ schemaType: schema.schemaType, version: 1 });
      expect(await client.getSchema({ kind: 'globalId', globalId: registered.globalId! })).toMatchObject({
        schemaType: schema.schemaType,
        schema: schema.schema,
      });
      expect(await client.getVersion(subject, 'latest')).toMatchObject({
        schemaType: schema.schemaType,
        schema: schema.schema,
      });
      expect(await client.lookup(subject, schema)).toMatchObject({ globalId: registered.globalId });
    }
  });

  it('keeps references, and finds a schema with references by lookup', async () => {
    const namespace = `ns${randomUUID().replaceAll('-', '')}`;
    const addressSubject = uniqueSubject('address');
    const userSubject = uniqueSubject('user');
    const address = (fields: Record<string, unknown>[]): Schema => ({
      schemaType: 'AVRO',
      schema: JSON.stringify({ type: 'record', name: 'Address', namespace, fields }),
    });
    await client.register(addressSubject, address([{ name: 'city', type: 'string' }]));
    await client.register(
      addressSubject,
      address([
        { name: 'city', type: 'string' },
        { name: 'zip', type: 'string', default: '' },
      ]),
    );
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
    const registered = await client.register(userSubject, user);
    expect(registered).toMatchObject({ version: 1, references });
    expect(await client.getVersion(userSubject, 1)).toMatchObject({ references });
    expect(await client.getSchema({ kind: 'globalId', globalId: registered.globalId! })).toMatchObject({
      references,
    });
    expect(await client.getSchema({ kind: 'contentId', contentId: registered.id })).toMatchObject({
      references,
    });
    expect(await client.lookup(userSubject, user)).toMatchObject({
      version: 1,
      globalId: registered.globalId,
      references,
    });
    // The same text with other references is another schema.
    const otherReferences = [{ ...references[0]!, version: 2 }];
    await expect(client.lookup(userSubject, { ...user, references: otherReferences })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    await expect(client.lookup(userSubject, { ...user, references: [] })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    // The lookups' dry runs left nothing behind.
    expect(await client.listVersions(userSubject)).toEqual([1]);
  });

  it('keeps a subject level in the artifact COMPATIBILITY rule, and tests schemas by dry run', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1, v2, breaking } = userSchemas();
    await client.register(subject, v1);
    await client.setCompatibility('BACKWARD', subject);
    expect(await client.getCompatibility(subject)).toBe('BACKWARD');
    await client.setCompatibility('FULL', subject);
    expect(await client.getCompatibility(subject)).toBe('FULL');
    expect(await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/rules/COMPATIBILITY`)).toEqual({
      status: 200,
      body: { ruleType: 'COMPATIBILITY', config: 'FULL' },
    });

    const verdict = await client.testCompatibility(subject, breaking);
    expect(verdict.compatible).toBe(false);
    expect(verdict.messages).toEqual(['email at /fields/1']);
    expect(await client.testCompatibility(subject, v2)).toEqual({ compatible: true, messages: [] });
    expect(await client.testCompatibility(subject, v2, 1)).toEqual({ compatible: true, messages: [] });
    expect(await client.testCompatibility(uniqueSubject('fresh'), breaking)).toEqual({
      compatible: true,
      messages: ['subject has no versions'],
    });
    await expect(
      client.testCompatibility(subject, { schemaType: 'AVRO', schema: '{"type":"record","name":"X"}' }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidSchema, httpStatus: 422, subject });

    const refused = await failure(client.register(subject, breaking));
    expect(refused).toMatchObject({ code: ErrorCode.IncompatibleSchema, httpStatus: 400, subject });
    expect(refused.message).toContain('RuleViolationException');
    expect(refused.message).toContain('causes: ["email at /fields/1"]');
    expect(await client.listVersions(subject)).toEqual([1]);

    await client.register(subject, v2);
    await expect(client.testCompatibility(subject, v2, 1)).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
      subject,
      version: 1,
    });
    await expect(client.setCompatibility('FULL', uniqueSubject('missing'))).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
    });
    await expect(client.setCompatibility('BOGUS' as CompatibilityLevel, subject)).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
    });
    expect(await client.getCompatibility(subject)).toBe('FULL');
  });

  it('keeps to its group: subjects, ids and the group COMPATIBILITY rule', async () => {
    const groupId = uniqueSubject('group');
    const grouped = new ApicurioRestClient({ baseUrl: apicurioUrl, groupId });
    const subject = uniqueSubject('apicurio');
    const { v1 } = userSchemas();
    const registered = await grouped.register(subject, v1);
    const path = `/groups/${groupId}/artifacts/${subject}`;
    expect(await apicurioCall(apicurioUrl, 'GET', path)).toMatchObject({ status: 200 });
    expect(await grouped.listSubjects()).toEqual([subject]);
    expect(await client.listSubjects()).not.toContain(subject);
    await expect(client.listVersions(subject)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    expect(await grouped.getSchema({ kind: 'id', id: registered.id })).toMatchObject({ subject, version: 1 });
    // Another group's client reads the content, but names no subject of a group it does not serve.
    expect(await client.getSchema({ kind: 'id', id: registered.id })).toEqual({
      schema: v1.schema,
      schemaType: 'AVRO',
      references: [],
      id: registered.id,
    });

    expect(
      await apicurioCall(apicurioUrl, 'POST', `/groups/${groupId}/rules`, {
        ruleType: 'COMPATIBILITY',
        config: 'BACKWARD_TRANSITIVE',
      }),
    ).toMatchObject({ status: 204 });
    expect(await grouped.getCompatibility(subject)).toBe('BACKWARD_TRANSITIVE');
    await grouped.setCompatibility('NONE', subject);
    expect(await grouped.getCompatibility(subject)).toBe('NONE');
  });

  it('soft-deletes by disabling versions, which stay readable by contentId only', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1, v2 } = userSchemas();
    await client.register(subject, v1);
    const second = await client.register(subject, v2);

    expect(await client.deleteVersion(subject, 2)).toBe(2);
    expect(await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/versions/2`)).toMatchObject({
      body: { state: 'DISABLED' },
    });
    expect(await client.listVersions(subject)).toEqual([1]);
    expect(await client.getVersion(subject, 'latest')).toMatchObject({ version: 1 });
    await expect(client.getVersion(subject, 2)).rejects.toMatchObject({ code: ErrorCode.VersionNotFound });
    expect(await client.getSchema({ kind: 'contentId', contentId: second.id })).toMatchObject({
      schema: v2.schema,
      subject,
      version: 2,
    });
    await expect(client.getSchema({ kind: 'globalId', globalId: second.globalId! })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    await expect(client.lookup(subject, v2)).rejects.toMatchObject({ code: ErrorCode.SchemaNotFound });
    expect(await client.lookup(subject, v2, { deleted: true })).toMatchObject({ version: 2 });
    expect(await client.getSubjectVersionsOfId(second.id)).toEqual([]);
    await expect(client.deleteVersion(subject, 2)).rejects.toMatchObject({ code: ErrorCode.VersionNotFound });
    await expect(client.deleteVersion(subject, 1, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.InvalidRequest,
    });

    // As in the Confluent API, registering a soft-deleted schema again makes a new version of it.
    const again = await client.register(subject, v2);
    expect(again).toMatchObject({ version: 3, id: second.id });
    expect(again.globalId).not.toBe(second.globalId);
    expect(await client.listVersions(subject)).toEqual([1, 3]);

    expect(await client.deleteSubject(subject)).toEqual([1, 3]);
    await expect(client.listVersions(subject)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    await expect(client.getVersion(subject, 'latest')).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
    });
    expect(await client.listSubjects()).not.toContain(subject);
    expect(await client.listSubjects({ deleted: true })).toContain(subject);
    await expect(client.deleteSubject(subject)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
  });

  it('deletes permanently only where the registry allows deletes, which it does not by default', async () => {
    const subject = uniqueSubject('apicurio');
    const { v1, v2 } = userSchemas();
    await client.register(subject, v1);
    await client.register(subject, v2);
    const versionSwitch = 'apicurio.rest.deletion.artifact-version.enabled';
    const artifactSwitch = 'apicurio.rest.deletion.artifact.enabled';
    const properties = (await apicurioCall(apicurioUrl, 'GET', '/admin/config/properties')).body as {
      name: string;
      value: string;
    }[];
    expect(properties.filter((property) => property.name.startsWith('apicurio.rest.deletion.'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: versionSwitch, value: 'false' }),
        expect.objectContaining({ name: artifactSwitch, value: 'false' }),
      ]),
    );

    expect(await client.deleteVersion(subject, 2)).toBe(2);
    const refused = await failure(client.deleteVersion(subject, 2, { permanent: true }));
    expect(refused).toMatchObject({ code: ErrorCode.Unsupported, httpStatus: 405, subject, version: 2 });
    expect(refused.message).toContain('Artifact version deletion operation is not enabled');
    expect(await client.deleteSubject(subject)).toEqual([1]);
    await expect(client.deleteSubject(subject, { permanent: true })).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
      httpStatus: 405,
    });

    try {
      await setApicurioProperty(apicurioUrl, versionSwitch, 'true');
      await setApicurioProperty(apicurioUrl, artifactSwitch, 'true');
      expect(await client.deleteVersion(subject, 2, { permanent: true })).toBe(2);
      expect(await apicurioCall(apicurioUrl, 'GET', `${artifactPath(subject)}/versions/2`)).toMatchObject({
        status: 404,
      });
      expect(await client.deleteSubject(subject, { permanent: true })).toEqual([1]);
      expect(await client.listSubjects({ deleted: true })).not.toContain(subject);
      await expect(client.getVersion(subject, 1)).rejects.toMatchObject({ code: ErrorCode.SubjectNotFound });
    } finally {
      await setApicurioProperty(apicurioUrl, versionSwitch, 'false');
      await setApicurioProperty(apicurioUrl, artifactSwitch, 'false');
    }
  });
});

describe('registry > apicurio rest > serdes through the apicurio-header carrier', () => {
  it.each(['globalId', 'contentId'] as const)(
    'writes the %s into the header and reads the message back through a fresh client',
    async (apicurioId) => {
      const topic = uniqueSubject('topic');
      const { v1 } = userSchemas();
      const serializer = new Serializer({
        registry: client,
        formats: [avroFormat()],
        schema: v1,
        carrier: 'apicurio-header',
        apicurioId,
      });
      const value = { id: 42 };
      const payload = await serializer.serialize(topic, value);
      const registered = await client.getVersion(`${topic}-value`, 'latest');
      const header = payload.headers?.[`apicurio.value.${apicurioId}`];
      expect(header).toBeDefined();
      expect(decodeApicurioId(header!)).toBe(apicurioId === 'globalId' ? registered.globalId : registered.id);

      const deserializer = new Deserializer({
        registry: new ApicurioRestClient({ baseUrl: apicurioUrl }),
        formats: [avroFormat()],
      });
      expect(await deserializer.deserialize({ value: payload.bytes, headers: payload.headers! })).toEqual({
        schemaId: registered.id,
        schemaType: 'AVRO',
        subject: `${topic}-value`,
        version: 1,
        carrier: 'apicurio-header',
        value,
      });
    },
  );
});
