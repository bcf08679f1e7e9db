import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import type { Acknowledged } from './support/registering-child.js';
import { LEGACY_STATE, REGISTER_LOOP, registerLoopEnv } from './support/registering-child.js';
import { textFormat, textSchema } from './support/text-format.js';

const formats = [textFormat('JSON'), textFormat('AVRO')];
const user = textSchema({ title: 'User', properties: { id: {} } });
const userWithName = textSchema({ title: 'User', properties: { id: {}, name: {} } });
// The database and the files SQLite keeps beside it in WAL mode while a connection is open.
const DATABASE_FILES = /^registry\.db(-wal|-shm)?$/;

// Runs `source` as a CommonJS script in a child process with the database path as its argument, and
// resolves once it printed its first line.
function sqliteChild(source: string, database: string) {
  const child = spawn(
    process.execPath,
    ['-e', `const { DatabaseSync } = require('node:sqlite'); ${source}`, database],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ready = once(child.stdout!, 'data');
  const exited = once(child, 'close');
  return { ready, exited };
}

describe('registry > embedded > persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-embedded-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const onDisk = (folder = dir) => new EmbeddedRegistry({ formats, dir: folder });
  const database = () => join(dir, 'registry.db');

  it('keeps the state across instances on one folder, which it creates', async () => {
    const folder = join(dir, 'nested', 'registry');
    const first = onDisk(folder);
    const registered = await first.register('a-value', user);
    await first.setCompatibility('NONE', 'a-value');
    await first.setCompatibility('FORWARD');
    await first.register('b-value', userWithName);
    await first.deleteSubject('b-value');
    const second = onDisk(folder);
    expect(await second.getSchema({ kind: 'id', id: 1 })).toMatchObject({
      guid: registered.guid,
      subject: 'a-value',
    });
    expect(await second.listSubjects({ deleted: true })).toEqual(['a-value', 'b-value']);
    expect(await second.getCompatibility('a-value')).toBe('NONE');
    expect(await second.getCompatibility()).toBe('FORWARD');
    expect(await second.register('c-value', userWithName)).toMatchObject({ id: 2, globalId: 3 });
  });

  it('sees what another instance wrote since its last operation', async () => {
    const first = onDisk();
    const second = onDisk();
    await first.register('a-value', user);
    expect(await second.listSubjects()).toEqual(['a-value']);
    await second.register('b-value', userWithName);
    expect(await first.listSubjects()).toEqual(['a-value', 'b-value']);
    expect(await first.register('c-value', textSchema({ title: 'C' }))).toMatchObject({ id: 3 });
  });

  it('loses nothing when two instances register in parallel', async () => {
    const first = onDisk();
    const second = onDisk();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? first : second).register(`subject-${i}`, textSchema({ title: `T${i}` })),
      ),
    );
    expect(new Set(results.map((result) => result.id)).size).toBe(20);
    const subjects = await onDisk().listSubjects();
    expect(subjects.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `subject-${i}`).sort());
  });

  it('keeps the folder to its database: no temp file, no lock', async () => {
    const registry = onDisk();
    await Promise.all([registry.register('a-value', user), registry.register('b-value', userWithName)]);
    const names = await readdir(dir);
    expect(names).toContain('registry.db');
    expect(names.filter((name) => !DATABASE_FILES.test(name))).toEqual([]);
    const again = onDisk();
    expect(await again.getSchema({ kind: 'id', id: 2 })).toMatchObject({ subject: 'b-value' });
  });

  it('does not write when nothing changed', async () => {
    const registry = onDisk();
    await registry.register('a-value', user);
    await registry.setCompatibility('NONE', 'a-value');
    await registry.setCompatibility('FULL');
    // Digests, so a difference reads as one line rather than a byte dump.
    const contents = () =>
      Promise.all(
        ['registry.db', 'registry.db-wal'].map(async (name) =>
          createHash('sha256')
            .update(await readFile(join(dir, name)))
            .digest('hex'),
        ),
      );
    const before = await contents();
    await registry.register('a-value', user);
    await registry.setCompatibility('NONE', 'a-value');
    await registry.setCompatibility('FULL');
    expect(await contents()).toEqual(before);
  });

  it('reads while another process is in the middle of a write', async () => {
    const registry = onDisk();
    await registry.register('a-value', user);
    const writer = new DatabaseSync(database());
    writer.exec('BEGIN IMMEDIATE; UPDATE versions SET deleted = 1');
    try {
      // WAL: readers see the last commit and never wait for a writer.
      expect(await registry.listSubjects()).toEqual(['a-value']);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('waits for a write another process has under way, then registers', async () => {
    const registry = onDisk();
    await registry.listSubjects();
    const holder = sqliteChild(
      "const db = new DatabaseSync(process.argv[1]); db.exec('BEGIN IMMEDIATE'); console.log('held'); setTimeout(() => db.exec('COMMIT'), 300);",
      database(),
    );
    await holder.ready;
    const began = Date.now();
    await expect(registry.register('a-value', user)).resolves.toMatchObject({ id: 1, version: 1 });
    expect(Date.now() - began).toBeGreaterThanOrEqual(150);
    await holder.exited;
  });

  it('goes on at once after a process was killed inside a write, keeping none of it', async () => {
    const registry = onDisk();
    await registry.register('a-value', user);
    const killed = sqliteChild(
      "const db = new DatabaseSync(process.argv[1]); db.exec('BEGIN IMMEDIATE'); db.exec(\"INSERT INTO schemas (guid, schema_type, schema) VALUES ('killed', 'JSON', '{}')\"); console.log('inside'); process.kill(process.pid, 'SIGKILL');",
      database(),
    );
    await killed.ready;
    await killed.exited;
    const began = Date.now();
    expect(await onDisk().register('b-value', userWithName)).toMatchObject({ id: 2, globalId: 2 });
    expect(Date.now() - began).toBeLessThan(1_000);
    await expect(registry.getSchema({ kind: 'guid', guid: 'killed' })).rejects.toMatchObject({
      registryErrorCode: 40403,
    });
  });

  it('imports the JSON state file of an earlier release once: ids, counters, levels, soft deletes', async () => {
    const state = {
      ...LEGACY_STATE,
      nextGlobalId: 5,
      compatibility: 'FORWARD',
      subjects: [
        { ...LEGACY_STATE.subjects[0], compatibility: 'NONE' },
        { name: 'legacy-b', versions: [{ version: 2, id: 2, globalId: 4, deleted: true }] },
      ],
    };
    await writeFile(join(dir, 'registry.json'), JSON.stringify(state));
    // What a writer of that release left when killed: a lock past its 30 s stale limit, a temp file.
    const lock = join(dir, 'registry.json.lock');
    await writeFile(lock, '12345\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await writeFile(join(dir, '.registry.json.12345.0b9d7e42.tmp'), '{');
    const registry = onDisk();
    expect(await registry.listSubjects({ deleted: true })).toEqual(['legacy-a', 'legacy-b']);
    expect(await registry.listSubjects()).toEqual(['legacy-a']);
    expect(await registry.getSchema({ kind: 'globalId', globalId: 4 })).toMatchObject({ id: 2, version: 2 });
    expect(await registry.getCompatibility('legacy-a')).toBe('NONE');
    expect(await registry.getCompatibility()).toBe('FORWARD');
    // Ids and globalIds go on from the file's counters, past those of deleted versions.
    expect(await registry.register('legacy-b', user)).toMatchObject({ id: 3, version: 3, globalId: 5 });
    const names = (await readdir(dir)).filter((name) => !DATABASE_FILES.test(name));
    expect(names).toEqual(['registry.json.imported']);
    // A state file that turns up later is not imported again.
    await writeFile(join(dir, 'registry.json'), JSON.stringify({ ...LEGACY_STATE, subjects: [] }));
    expect(await onDisk().listSubjects({ deleted: true })).toEqual(['legacy-a', 'legacy-b']);
  });

  it('does not import a state file while a process of an earlier release holds its lock', async () => {
    await writeFile(join(dir, 'registry.json'), JSON.stringify(LEGACY_STATE));
    await writeFile(join(dir, 'registry.json.lock'), '12345\n');
    await expect(onDisk().listSubjects()).rejects.toMatchObject({
      code: ErrorCode.RegistryUnavailable,
      message: expect.stringContaining('is locked by a process of an earlier release'),
    });
    expect((await readdir(dir)).filter((name) => name.startsWith('registry.json'))).toEqual([
      'registry.json',
      'registry.json.lock',
    ]);
  });

  it('imports a state file once when two processes open its folder at the same time', async () => {
    await writeFile(join(dir, 'registry.json'), JSON.stringify(LEGACY_STATE));
    const run = async (tag: string) => {
      const { stdout } = await promisify(execFile)(process.execPath, [REGISTER_LOOP], {
        env: registerLoopEnv(dir, tag, 0, 12),
      });
      return stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Acknowledged);
    };
    const acknowledged = (await Promise.all([run('a'), run('b')])).flat();
    expect(acknowledged).toHaveLength(24);
    const registry = onDisk();
    for (const { subject, schema, id } of acknowledged) {
      expect(await registry.lookup(subject, { schemaType: 'JSON', schema })).toMatchObject({ id });
    }
    const schemas = new Map(acknowledged.map(({ schema, id }) => [id, schema]));
    expect(new Set(acknowledged.map(({ schema }) => schema)).size).toBe(schemas.size);
    expect(Math.min(...schemas.keys())).toBe(3);
    expect(await registry.getVersion('legacy-b', 1)).toMatchObject({ id: 2, schema: '{"title":"legacy-b"}' });
  });

  it('refuses a state file that is not its own, and imports nothing until it is fixed', async () => {
    await writeFile(join(dir, 'registry.json'), '{"hello":');
    const refused = { code: ErrorCode.RegistryError, message: expect.stringContaining('registry.json') };
    await expect(onDisk().listSubjects()).rejects.toMatchObject(refused);
    await expect(onDisk().listSubjects()).rejects.toMatchObject(refused);
    await writeFile(join(dir, 'registry.json'), JSON.stringify(LEGACY_STATE));
    expect(await onDisk().listSubjects()).toEqual(['legacy-a', 'legacy-b']);
  });

  it('refuses a database a newer release wrote', async () => {
    await onDisk().listSubjects();
    const db = new DatabaseSync(database());
    db.exec('PRAGMA user_version = 2');
    db.close();
    await expect(onDisk().listSubjects()).rejects.toMatchObject({
      code: ErrorCode.RegistryError,
      message: expect.stringMatching(/^cannot open registry database: .*newer release/),
    });
  });
});
