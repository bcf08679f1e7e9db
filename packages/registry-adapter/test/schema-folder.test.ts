import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { EmbeddedRegistry, registerSchemaFolder } from '@schemawire/registry-adapter';
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
});
