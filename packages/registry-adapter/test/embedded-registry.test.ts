import { describe, expect, it } from '@jest/globals';
import type { CompatibilityLevel, SchemaReference } from '@schemawire/core-client';
import { ErrorCode, SchemaFormats } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import type { TextSchema } from './support/text-format.js';
import { textFormat, textSchema } from './support/text-format.js';

const formats = [textFormat('JSON'), textFormat('AVRO')];
const memory = (defaultCompatibility?: CompatibilityLevel) =>
  new EmbeddedRegistry({ formats, ...(defaultCompatibility === undefined ? {} : { defaultCompatibility }) });

const user = textSchema({ title: 'User', properties: { id: {} } });
const userWithName = textSchema({ title: 'User', properties: { id: {}, name: {} } });
const ref = (subject: string, version = 1, name = `${subject}.json`): SchemaReference => ({
  name,
  subject,
  version,
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function rejectsWith(promise: Promise<unknown>, code: ErrorCode, registryErrorCode: number) {
  return expect(promise).rejects.toMatchObject({ code, registryErrorCode });
}

describe('registry > embedded > ids and versions', () => {
  it('starts ids and versions at 1 and gives the same schema the same id and guid under any subject', async () => {
    const registry = memory();
    const first = await registry.register('a-value', user);
    const second = await registry.register('b-value', user);
    expect(first).toMatchObject({ id: 1, version: 1, subject: 'a-value', globalId: 1 });
    expect(second).toMatchObject({ id: 1, version: 1, subject: 'b-value', globalId: 2 });
    expect(first.guid).toMatch(UUID);
    expect(second.guid).toBe(first.guid);
  });

  it('treats key order and whitespace as the same schema', async () => {
    const registry = memory();
    const first = await registry.register('a-value', user);
    const reordered = {
      schemaType: 'JSON' as const,
      schema: ' {"properties": {"id": {}},  "title": "User"} ',
    };
    const again = await registry.register('a-value', reordered);
    expect(again).toMatchObject({ id: first.id, version: 1, globalId: first.globalId });
    expect(await registry.listVersions('a-value')).toEqual([1]);
  });

  it('adds a version for a new schema, with a new id, guid and globalId', async () => {
    const registry = memory();
    const first = await registry.register('a-value', user);
    const second = await registry.register('a-value', userWithName);
    expect(second).toMatchObject({ id: 2, version: 2, globalId: 2 });
    expect(second.guid).not.toBe(first.guid);
    expect(await registry.listVersions('a-value')).toEqual([1, 2]);
    expect(await registry.getVersion('a-value', 'latest')).toMatchObject({ id: 2, version: 2 });
    expect(await registry.getVersion('a-value', 1)).toMatchObject({ id: 1, version: 1, schema: user.schema });
  });

  it('returns the version a subject already holds when the schema is registered again', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    const again = await registry.register('a-value', user);
    expect(again).toMatchObject({ id: 1, version: 1, globalId: 1 });
    expect(await registry.listVersions('a-value')).toEqual([1, 2]);
  });

  it('gives the same text of another schema type another id', async () => {
    const registry = memory();
    const json = await registry.register('a-value', user);
    const avro = await registry.register('b-value', { ...user, schemaType: 'AVRO' });
    expect(avro.id).not.toBe(json.id);
    expect(avro.schemaType).toBe('AVRO');
  });

  it('answers 409 for a subject whose schema type changes, unless its level is NONE', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await rejectsWith(
      registry.register('a-value', { ...userWithName, schemaType: 'AVRO' }),
      ErrorCode.IncompatibleSchema,
      409,
    );
    await registry.setCompatibility('NONE', 'a-value');
    expect(await registry.register('a-value', { ...userWithName, schemaType: 'AVRO' })).toMatchObject({
      version: 2,
      schemaType: 'AVRO',
    });
  });

  it('compares in the normal form only when asked to normalize', async () => {
    const registry = memory('NONE');
    const described = textSchema({ title: 'User', properties: { id: {} }, description: 'a user' });
    const first = await registry.register('a-value', user);
    expect(await registry.register('a-value', described, { normalize: true })).toMatchObject({
      id: first.id,
      version: 1,
    });
    const plain = await registry.register('a-value', described);
    expect(plain).toMatchObject({ version: 2 });
    expect(plain.id).not.toBe(first.id);
  });

  it('lists subjects in the order they were created', async () => {
    const registry = memory();
    for (const subject of ['b', '42', 'a']) await registry.register(subject, user);
    expect(await registry.listSubjects()).toEqual(['b', '42', 'a']);
  });

  it('answers 40401 and 40402 for a subject or version that does not exist', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await rejectsWith(registry.getVersion('nope', 1), ErrorCode.SubjectNotFound, 40401);
    await rejectsWith(registry.getVersion('a-value', 7), ErrorCode.VersionNotFound, 40402);
    await rejectsWith(registry.listVersions('nope'), ErrorCode.SubjectNotFound, 40401);
  });
});

describe('registry > embedded > invalid schemas', () => {
  it('answers 42201 for a schema its format rejects', async () => {
    const registry = memory();
    const broken = { schemaType: 'JSON' as const, schema: '{"title":' };
    await rejectsWith(registry.register('a-value', broken), ErrorCode.InvalidSchema, 42201);
    await expect(registry.listSubjects()).resolves.toEqual([]);
  });

  it('answers 42201 for a schema type it has no format for', async () => {
    const registry = memory();
    const proto = textSchema({ title: 'User' }, [], 'PROTOBUF');
    await rejectsWith(registry.register('a-value', proto), ErrorCode.InvalidSchema, 42201);
  });
});

describe('registry > embedded > lookup', () => {
  it('finds the version holding a schema', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    expect(await registry.lookup('a-value', userWithName)).toMatchObject({
      id: 2,
      version: 2,
      subject: 'a-value',
    });
  });

  it('answers 40403 for a schema the subject does not hold, and 40401 for a missing subject', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('b-value', userWithName);
    await rejectsWith(registry.lookup('a-value', userWithName), ErrorCode.SchemaNotFound, 40403);
    await rejectsWith(registry.lookup('nope', user), ErrorCode.SubjectNotFound, 40401);
  });

  it('finds soft-deleted versions only when asked to', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.deleteSubject('a-value');
    await rejectsWith(registry.lookup('a-value', user), ErrorCode.SubjectNotFound, 40401);
    expect(await registry.lookup('a-value', user, { deleted: true })).toMatchObject({ id: 1, version: 1 });
  });
});

describe('registry > embedded > compatibility', () => {
  // Each version writes one more property; `needs` makes the new schema require old ones as a reader.
  const writes = (properties: string[], required: string[] = []): ReturnType<typeof textSchema> =>
    textSchema({ properties: Object.fromEntries(properties.map((name) => [name, {}])), required });

  it('checks BACKWARD by default and answers 409 with the messages', async () => {
    const registry = memory();
    await registry.register('a-value', writes(['id']));
    const attempt = registry.register('a-value', writes(['id', 'name'], ['name']));
    await rejectsWith(attempt, ErrorCode.IncompatibleSchema, 409);
    await expect(attempt).rejects.toThrow(/"BACKWARD".*field \\"name\\" is required but not written/);
    expect(await registry.listVersions('a-value')).toEqual([1]);
  });

  it('checks FORWARD: old schemas must read what the new one writes', async () => {
    const registry = memory('FORWARD');
    await registry.register('a-value', writes(['id', 'name'], ['name']));
    await rejectsWith(registry.register('a-value', writes(['id'])), ErrorCode.IncompatibleSchema, 409);
    expect(await registry.register('a-value', writes(['id', 'name', 'age']))).toMatchObject({ version: 2 });
  });

  it('checks FULL both ways and NONE not at all', async () => {
    const full = memory('FULL');
    await full.register('a-value', writes(['id'], ['id']));
    await rejectsWith(
      full.register('a-value', writes(['id', 'x'], ['x'])),
      ErrorCode.IncompatibleSchema,
      409,
    );
    await rejectsWith(full.register('a-value', writes(['x'])), ErrorCode.IncompatibleSchema, 409);
    const none = memory('NONE');
    await none.register('a-value', writes(['id'], ['id']));
    expect(await none.register('a-value', writes(['x'], ['x']))).toMatchObject({ version: 2 });
  });

  it('compares with the latest version only, unless the level is transitive', async () => {
    for (const [level, accepted] of [
      ['BACKWARD', true],
      ['BACKWARD_TRANSITIVE', false],
    ] as const) {
      const registry = memory(level);
      await registry.register('a-value', writes(['id']));
      await registry.register('a-value', writes(['id', 'name']));
      const third = registry.register('a-value', writes(['id', 'name'], ['name']));
      if (accepted) await expect(third).resolves.toMatchObject({ version: 3 });
      else await rejectsWith(third, ErrorCode.IncompatibleSchema, 409);
    }
  });

  it('applies the subject level over the global one', async () => {
    const registry = memory();
    await registry.setCompatibility('NONE', 'a-value');
    await registry.register('a-value', writes(['id']));
    await registry.register('b-value', writes(['id']));
    expect(await registry.register('a-value', writes(['x'], ['x']))).toMatchObject({ version: 2 });
    await rejectsWith(registry.register('b-value', writes(['x'], ['x'])), ErrorCode.IncompatibleSchema, 409);
    expect(await registry.getCompatibility('a-value')).toBe('NONE');
    expect(await registry.getCompatibility('b-value')).toBe('BACKWARD');
  });

  it('sets and reads the global level', async () => {
    const registry = memory();
    expect(await registry.getCompatibility()).toBe('BACKWARD');
    await registry.setCompatibility('FULL_TRANSITIVE');
    expect(await registry.getCompatibility()).toBe('FULL_TRANSITIVE');
    expect(await registry.getCompatibility('unknown-subject')).toBe('FULL_TRANSITIVE');
  });

  it('answers 42203 for a level that does not exist', async () => {
    const registry = memory();
    const level = 'SIDEWAYS' as CompatibilityLevel;
    await rejectsWith(registry.setCompatibility(level), ErrorCode.InvalidRequest, 42203);
  });

  it('tests compatibility against the latest or a given version without registering', async () => {
    const registry = memory();
    await registry.register('a-value', writes(['id']));
    await registry.register('a-value', writes(['id', 'name']));
    const candidate = writes(['id', 'name'], ['name']);
    expect(await registry.testCompatibility('a-value', candidate)).toEqual({
      compatible: true,
      messages: [],
    });
    const againstFirst = await registry.testCompatibility('a-value', candidate, 1);
    expect(againstFirst.compatible).toBe(false);
    expect(againstFirst.messages).toEqual([
      'backward: new schema cannot read data written with version 1: field "name" is required but not written',
    ]);
    expect(await registry.listVersions('a-value')).toEqual([1, 2]);
    await rejectsWith(registry.testCompatibility('a-value', candidate, 9), ErrorCode.VersionNotFound, 40402);
  });

  it('finds any schema compatible with a subject that has no versions yet', async () => {
    const registry = memory();
    expect(await registry.testCompatibility('new-value', user)).toEqual({ compatible: true, messages: [] });
  });
});

describe('registry > embedded > references', () => {
  const address = textSchema({ title: 'Address', properties: { street: {} } });
  const withAddress = (version = 1) =>
    textSchema({ title: 'User', imports: ['address.json'] }, [ref('address', version, 'address.json')]);

  it('registers a schema whose references name registered versions', async () => {
    const registry = memory();
    await registry.register('address', address);
    const registered = await registry.register('a-value', withAddress());
    expect(registered.references).toEqual([ref('address', 1, 'address.json')]);
    expect((await registry.getSchema({ kind: 'id', id: registered.id })).references).toEqual(
      registered.references,
    );
  });

  it('answers 42201 for a reference to a version that does not exist or was soft-deleted', async () => {
    const registry = memory();
    await rejectsWith(registry.register('a-value', withAddress()), ErrorCode.InvalidSchema, 42201);
    await registry.register('address', address);
    await rejectsWith(registry.register('a-value', withAddress(2)), ErrorCode.InvalidSchema, 42201);
    await registry.deleteSubject('address');
    await rejectsWith(registry.register('a-value', withAddress()), ErrorCode.InvalidSchema, 42201);
  });

  it('gives the same text with other references another id', async () => {
    const registry = memory('NONE');
    await registry.register('address', address);
    await registry.register('address', textSchema({ title: 'Address', properties: { city: {} } }));
    const first = await registry.register('a-value', withAddress(1));
    const second = await registry.register('b-value', withAddress(2));
    expect(second.id).not.toBe(first.id);
  });
});

describe('registry > embedded > get schema', () => {
  it('finds a schema by id, contentId, guid and globalId', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    const registered = await registry.register('b-value', userWithName);
    const expected = {
      id: 2,
      guid: registered.guid,
      subject: 'b-value',
      version: 1,
      schema: userWithName.schema,
    };
    expect(await registry.getSchema({ kind: 'id', id: 2 })).toMatchObject(expected);
    expect(await registry.getSchema({ kind: 'contentId', contentId: 2 })).toMatchObject(expected);
    expect(await registry.getSchema({ kind: 'guid', guid: registered.guid! })).toMatchObject(expected);
    expect(await registry.getSchema({ kind: 'globalId', globalId: 2 })).toMatchObject({
      ...expected,
      globalId: 2,
    });
  });

  it('answers 40403 for an id, guid or globalId it does not know', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    for (const id of [
      { kind: 'id', id: 9 },
      { kind: 'guid', guid: '00000000-0000-4000-8000-000000000000' },
      { kind: 'globalId', globalId: 9 },
    ] as const) {
      await rejectsWith(registry.getSchema(id), ErrorCode.SchemaNotFound, 40403);
    }
  });

  it('names the first live subject holding an id', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('b-value', user);
    expect(await registry.getSchema({ kind: 'id', id: 1 })).toMatchObject({ subject: 'a-value', version: 1 });
    await registry.deleteSubject('a-value');
    expect(await registry.getSchema({ kind: 'id', id: 1 })).toMatchObject({ subject: 'b-value', version: 1 });
  });

  it('lists the live subjects and versions of an id', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('b-value', userWithName);
    await registry.register('b-value', user);
    expect(await registry.getSubjectVersionsOfId(1)).toEqual([
      { subject: 'a-value', version: 1 },
      { subject: 'b-value', version: 2 },
    ]);
    await rejectsWith(registry.getSubjectVersionsOfId(9), ErrorCode.SchemaNotFound, 40403);
  });
});

describe('registry > embedded > soft delete', () => {
  it('hides a soft-deleted subject from reads but keeps its ids resolvable', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    expect(await registry.deleteSubject('a-value')).toEqual([1, 2]);
    expect(await registry.listSubjects()).toEqual([]);
    expect(await registry.listSubjects({ deleted: true })).toEqual(['a-value']);
    await rejectsWith(registry.listVersions('a-value'), ErrorCode.SubjectNotFound, 40401);
    await rejectsWith(registry.getVersion('a-value', 'latest'), ErrorCode.SubjectNotFound, 40401);
    const byId = await registry.getSchema({ kind: 'id', id: 2 });
    expect(byId).toMatchObject({ id: 2, schema: userWithName.schema });
    expect(byId.subject).toBeUndefined();
    expect(await registry.getSubjectVersionsOfId(2)).toEqual([]);
  });

  it('hides a soft-deleted version, so latest is the one before it', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    expect(await registry.deleteVersion('a-value', 2)).toBe(2);
    expect(await registry.listVersions('a-value')).toEqual([1]);
    expect(await registry.getVersion('a-value', 'latest')).toMatchObject({ version: 1 });
    await rejectsWith(registry.getVersion('a-value', 2), ErrorCode.VersionNotFound, 40402);
    expect(await registry.getSchema({ kind: 'id', id: 2 })).toMatchObject({ id: 2 });
  });

  it('registers a soft-deleted schema again as a new version', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    await registry.deleteVersion('a-value', 2);
    expect(await registry.register('a-value', userWithName)).toMatchObject({ id: 2, version: 3 });
  });

  it('answers 40404 and 40406 when deleting softly what is already soft-deleted', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('b-value', user);
    await registry.register('b-value', userWithName);
    await registry.deleteSubject('a-value');
    await rejectsWith(registry.deleteSubject('a-value'), ErrorCode.SubjectNotFound, 40404);
    await registry.deleteVersion('b-value', 1);
    await rejectsWith(registry.deleteVersion('b-value', 1), ErrorCode.VersionNotFound, 40406);
  });

  it('answers 40401 and 40402 when deleting what does not exist', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await rejectsWith(registry.deleteSubject('nope'), ErrorCode.SubjectNotFound, 40401);
    await rejectsWith(registry.deleteVersion('nope', 1), ErrorCode.SubjectNotFound, 40401);
    await rejectsWith(registry.deleteVersion('a-value', 5), ErrorCode.VersionNotFound, 40402);
  });
});

describe('registry > embedded > permanent delete', () => {
  it('removes a subject only after a soft delete (else 40405)', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await rejectsWith(
      registry.deleteSubject('a-value', { permanent: true }),
      ErrorCode.InvalidRequest,
      40405,
    );
    await registry.deleteSubject('a-value');
    expect(await registry.deleteSubject('a-value', { permanent: true })).toEqual([1]);
    expect(await registry.listSubjects({ deleted: true })).toEqual([]);
    await rejectsWith(registry.getSchema({ kind: 'id', id: 1 }), ErrorCode.SchemaNotFound, 40403);
  });

  it('removes a version only after a soft delete (else 40407)', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.register('a-value', userWithName);
    await rejectsWith(
      registry.deleteVersion('a-value', 1, { permanent: true }),
      ErrorCode.InvalidRequest,
      40407,
    );
    await registry.deleteVersion('a-value', 1);
    expect(await registry.deleteVersion('a-value', 1, { permanent: true })).toBe(1);
    await rejectsWith(registry.getSchema({ kind: 'globalId', globalId: 1 }), ErrorCode.SchemaNotFound, 40403);
    expect(await registry.listVersions('a-value')).toEqual([2]);
  });

  it('starts a subject at version 1 again after it was removed, keeping the id of its content', async () => {
    const registry = memory();
    await registry.register('a-value', user);
    await registry.deleteSubject('a-value');
    await registry.deleteSubject('a-value', { permanent: true });
    expect(await registry.register('a-value', user)).toMatchObject({ id: 1, version: 1, globalId: 2 });
  });

  it('answers 42206 for a version another schema references', async () => {
    const registry = memory();
    await registry.register('address', textSchema({ title: 'Address' }));
    await registry.register('a-value', textSchema({ title: 'User' }, [ref('address')]));
    await rejectsWith(registry.deleteSubject('address'), ErrorCode.InvalidRequest, 42206);
    await rejectsWith(registry.deleteVersion('address', 1), ErrorCode.InvalidRequest, 42206);
    await registry.deleteSubject('a-value');
    // The referring schema is only soft-deleted, so its id must still resolve with its reference.
    await rejectsWith(registry.deleteVersion('address', 1), ErrorCode.InvalidRequest, 42206);
    await registry.deleteSubject('a-value', { permanent: true });
    expect(await registry.deleteSubject('address')).toEqual([1]);
  });
});

describe('registry > embedded > formats', () => {
  it('accepts a SchemaFormats and reports its schema types', () => {
    const registry = new EmbeddedRegistry({ formats: new SchemaFormats([textFormat('PROTOBUF')]) });
    expect(registry.schemaTypes()).toEqual(['PROTOBUF']);
  });
});

describe('registry > embedded > text format', () => {
  it('requires each import of a schema to be one of its references', async () => {
    const registry = memory();
    const schema: TextSchema = { title: 'User', imports: ['missing.json'] };
    await rejectsWith(registry.register('a-value', textSchema(schema)), ErrorCode.InvalidSchema, 42201);
  });
});
