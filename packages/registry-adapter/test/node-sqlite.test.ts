import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { REGISTER_LOOP, registerLoopEnv } from './support/registering-child.js';

const NODE22_WARNING = fileURLToPath(new URL('./support/node22-sqlite-warning.mjs', import.meta.url));

describe('registry > embedded > node:sqlite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const register = (preload: readonly string[]) =>
    promisify(execFile)(process.execPath, [...preload, REGISTER_LOOP], {
      env: registerLoopEnv(dir, 'w', 0, 2),
    });

  it('prints nothing on stderr when a process registers into a folder', async () => {
    const { stdout, stderr } = await register([]);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toBe('');
  });

  it("drops Node 22's ExperimentalWarning for SQLite and no other warning", async () => {
    const { stdout, stderr } = await register(['--import', NODE22_WARNING]);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain('ExperimentalWarning: Teleportation is an experimental feature');
    expect(stderr).not.toContain('SQLite');
  });
});
