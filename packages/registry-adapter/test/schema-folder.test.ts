import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { RegisteredSchema, Schema } from '@schemawire/core-client';
import { ErrorCode } from '@schemawire/core-client';
import { EmbeddedRegistry, registerSchemaFolder, SCHEMA_FOLDER_MANIFEST } from '@schemawire/registry-adapter';
import { textFormat } from './support/text-format.js';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'schemawire-folder-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('registry > schema folder', () => {
  it('registers each schema file under its base name, in name order, and leaves other files alone', async () => {
    const dir = await folder({
      'b-order.json': '{"properties":{"id":{}}}',
      'a-customer.json': '{"properties":{"name":{}}}',
      'README.md': '# not a schema',
    });
    await mkdir(join(dir, 'nested.json'));
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    const registered = await registerSchemaFolder(registry, dir);
    expect(registered.map((r) => [r.subject, r.schema.schemaType, r.schema.version])).toEqual([
      ['a-customer', 'JSON', 1],
      ['b-order', 'JSON', 1],
    ]);
    expect(registered[0]?.file).toBe(join(dir, 'a-customer.json'));
    expect(await registry.listSubjects()).toEqual(['a-customer', 'b-order']);
  });

  it('registers nothing new the second time', async () => {
    const dir = await folder({ 'customer.json': '{"properties":{"name":{}}}' });
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    const [first] = await registerSchemaFolder(registry, dir);
    const [again] = await registerSchemaFolder(registry, dir);
    expect(again?.schema.id).toBe(first?.schema.id);
    expect(await registry.listVersions('customer')).toEqual([1]);
  });

  it('names the folder it cannot read', async () => {
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await expect(registerSchemaFolder(registry, '/nonexistent/schemas')).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringContaining('"/nonexistent/schemas"'),
    });
  });

  it('surfaces a schema the registry refuses as its typed error', async () => {
    const dir = await folder({ 'broken.json': '{ not json' });
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await expect(registerSchemaFolder(registry, dir)).rejects.toMatchObject({
      code: ErrorCode.InvalidSchema,
    });
  });

  it('surfaces a schema the registry refuses with the file and subject in the message', async () => {
    const dir = await folder({ 'broken.json': '{ not json' });
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await expect(registerSchemaFolder(registry, dir)).rejects.toMatchObject({
      message: expect.stringMatching(/^cannot register "broken.json" as subject "broken": /),
      subject: 'broken',
    });
  });
});

/** A schema of the test format that imports `imports`, as JSON text. */
const importing = (title: string, ...imports: string[]) => JSON.stringify({ title, imports });

/** Folder contents with a manifest. */
const withManifest = (manifest: unknown, files: Record<string, string>) => ({
  ...files,
  [SCHEMA_FOLDER_MANIFEST]: JSON.stringify(manifest),
});

describe('registry > schema folder > manifest', () => {
  it('is not registered itself and renames only the subjects it names', async () => {
    const dir = await folder(
      withManifest(
        { 'user.json': { subject: 'user-value' } },
        { 'user.json': importing('user'), 'order.json': importing('order') },
      ),
    );
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    const registered = await registerSchemaFolder(registry, dir);
    expect(registered.map((r) => r.subject)).toEqual(['order', 'user-value']);
    expect(await registry.listSubjects()).toEqual(['order', 'user-value']);
  });

  it('registers referenced files first, whatever their names, and points references at them', async () => {
    const dir = await folder(
      withManifest(
        {
          'a-order.json': { references: [{ name: 'customer', file: 'b-customer.json' }] },
          'b-customer.json': {
            subject: 'customer-value',
            references: [{ name: 'address', file: 'c-address.json' }],
          },
        },
        {
          'a-order.json': importing('order', 'customer'),
          'b-customer.json': importing('customer', 'address'),
          'c-address.json': importing('address'),
          'd-other.json': importing('other'),
        },
      ),
    );
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    const registered = await registerSchemaFolder(registry, dir);
    expect(registered.map((r) => r.subject)).toEqual(['c-address', 'customer-value', 'a-order', 'd-other']);
    expect(registered[2]?.schema.references).toEqual([
      { name: 'customer', subject: 'customer-value', version: 1 },
    ]);
    expect((await registry.getVersion('customer-value', 1)).references).toEqual([
      { name: 'address', subject: 'c-address', version: 1 },
    ]);
  });

  it('points a reference to a file at the version the folder registered, not version 1', async () => {
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await registry.register('address', { schemaType: 'JSON', schema: importing('old address') });
    const dir = await folder(
      withManifest(
        { 'order.json': { references: [{ name: 'address', file: 'address.json' }] } },
        { 'order.json': importing('order', 'address'), 'address.json': importing('address') },
      ),
    );
    const [address, order] = await registerSchemaFolder(registry, dir);
    expect(address?.schema.version).toBe(2);
    expect(order?.schema.references).toEqual([{ name: 'address', subject: 'address', version: 2 }]);
  });

  it('passes references to registered subjects on as they are', async () => {
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await registry.register('shared-address', { schemaType: 'JSON', schema: importing('address') });
    const dir = await folder(
      withManifest(
        { 'order.json': { references: [{ name: 'address', subject: 'shared-address', version: 1 }] } },
        { 'order.json': importing('order', 'address') },
      ),
    );
    const [order] = await registerSchemaFolder(registry, dir);
    expect(order?.schema.references).toEqual([{ name: 'address', subject: 'shared-address', version: 1 }]);
  });

  it('fills in the version when the registry answers a registration with the id only', async () => {
    const dir = await folder(
      withManifest(
        { 'order.json': { references: [{ name: 'address', file: 'address.json' }] } },
        { 'order.json': importing('order', 'address'), 'address.json': importing('address') },
      ),
    );
    const registered = await registerSchemaFolder(new IdOnlyRegistry({ formats: [textFormat()] }), dir);
    expect(registered.map((r) => [r.subject, r.schema.version])).toEqual([
      ['address', 1],
      ['order', 1],
    ]);
    expect(registered[1]?.schema.references).toEqual([{ name: 'address', subject: 'address', version: 1 }]);
  });

  it('refuses references that go round in a circle, naming the files, and registers nothing', async () => {
    const dir = await folder(
      withManifest(
        {
          'a.json': { references: [{ name: 'b', file: 'b.json' }] },
          'b.json': { references: [{ name: 'a', file: 'a.json' }] },
        },
        { 'a.json': importing('a', 'b'), 'b.json': importing('b', 'a') },
      ),
    );
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await expect(registerSchemaFolder(registry, dir)).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringContaining('references go round in a circle: "a.json" -> "b.json" -> "a.json"'),
    });
    expect(await registry.listSubjects()).toEqual([]);
  });

  it.each([
    ['is not JSON', '{ "user.json": ', /cannot read schema folder manifest ".*schemas.json": /],
    [
      'names a file the folder lacks',
      { 'missing.json': {} },
      /"missing.json" is not a schema file of the folder/,
    ],
    ['has an unknown member', { 'user.json': { subjet: 'x' } }, /unknown member "subjet"/],
    ['has an empty subject', { 'user.json': { subject: '' } }, /"subject" must be a subject name, not ""/],
    [
      'references a file the folder lacks',
      { 'user.json': { references: [{ name: 'x', file: 'x.json' }] } },
      /references\[0\] names file "x.json", which is not a schema file of the folder/,
    ],
    [
      'references a subject without a version',
      { 'user.json': { references: [{ name: 'x', subject: 'x' }] } },
      /references\[0\] needs a "version" of subject "x"/,
    ],
    [
      'gives a reference no name',
      { 'user.json': { references: [{ file: 'user.json' }] } },
      /references\[0\] must be \{"name", "file"\} or \{"name", "subject", "version"\}/,
    ],
  ])('fails with SCHEMAWIRE_CONFIG when the manifest %s', async (_, manifest, message) => {
    const files: Record<string, string> = { 'user.json': importing('user') };
    files[SCHEMA_FOLDER_MANIFEST] = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
    const dir = await folder(files);
    const registry = new EmbeddedRegistry({ formats: [textFormat()] });
    await expect(registerSchemaFolder(registry, dir)).rejects.toMatchObject({
      code: ErrorCode.Config,
      message: expect.stringMatching(message),
    });
    expect(await registry.listSubjects()).toEqual([]);
  });
});

/** A registry that answers registrations with the id only, as the Confluent REST API does. */
class IdOnlyRegistry extends EmbeddedRegistry {
  override async register(subject: string, schema: Schema): Promise<RegisteredSchema> {
    const { id, schemaType, schema: text, references } = await super.register(subject, schema);
    return { id, schemaType, schema: text, references };
  }
}
