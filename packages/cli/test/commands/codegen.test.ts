import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, repoRoot, Workspace } from '../support/cli-process.js';

describe('cli > codegen', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
  });
  afterAll(() => ws.remove());

  it('writes one module per schema file of a folder and prints their paths', async () => {
    const run = await ws.run(['codegen', join(repoRoot, 'schemas'), '--out', 'types']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')).toEqual([
      join('types', 'my_json_message.ts'),
      join('types', 'my_message.ts'),
      join('types', 'user.ts'),
      '',
    ]);
    const user = await readFile(join(ws.dir, 'types', 'user.ts'), 'utf8');
    expect(user).toContain(
      "export const User: SchemaHandle<User, UserInput, 'io.schemawire.example.User'> = {",
    );
  });

  it('writes what the demo checks in (run `./schemawire codegen schemas --out demo/src/generated` to update it)', async () => {
    const run = await ws.run(['codegen', join(repoRoot, 'schemas'), '--out', 'demo-types']);
    expect(run.code).toBe(0);
    const checkedIn = join(repoRoot, 'demo', 'src', 'generated');
    const names = (await readdir(checkedIn)).sort();
    expect(names).toEqual((await readdir(join(ws.dir, 'demo-types'))).sort());
    for (const name of names) {
      expect(await readFile(join(checkedIn, name), 'utf8')).toBe(
        await readFile(join(ws.dir, 'demo-types', name), 'utf8'),
      );
    }
  });

  it('types longs as --longs says', async () => {
    const file = await ws.file(
      'ids.avsc',
      JSON.stringify({ type: 'record', name: 'Ids', fields: [{ name: 'id', type: 'long' }] }),
    );
    const run = await ws.run(['codegen', file, '--out', 'longs', '--longs', 'string']);
    expect(run.code).toBe(0);
    expect(await readFile(join(ws.dir, 'longs', 'ids.ts'), 'utf8')).toContain(
      'export interface Ids {\n  id: string;\n}',
    );
  });

  it('exits 2 without --out', async () => {
    const run = await ws.run(['codegen', join(repoRoot, 'schemas')]);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe('error: cannot generate types: --out is required');
  });

  it('exits 1 naming the file when a schema does not parse', async () => {
    const file = await ws.file(
      'broken.avsc',
      '{"type": "record", "name": "B", "fields": [{"name": "x", "type": "Nope"}]}',
    );
    const run = await ws.run(['codegen', file, '--out', 'broken']);
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toBe(
      'error: cannot generate types of "broken.avsc": no schema file defines "Nope"',
    );
  });
});
