import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot, runProgram } from './support/cli-process.js';

const launcher = join(repoRoot, 'schemawire');

describe('cli > main', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-launcher-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the launcher runs the built CLI from any directory and passes its exit code on', async () => {
    const help = await runProgram(launcher, ['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: schemawire <command>/);
    const usage = await runProgram(launcher, ['nope'], { cwd: dir });
    expect(usage.code).toBe(2);
  });

  it('the launcher works through a symlink', async () => {
    const link = join(dir, 'sw');
    await symlink(launcher, link);
    const run = await runProgram(link, ['demo', '--help'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: schemawire demo/);
  });

  describe('cli > main > launcher without setup', () => {
    // A checkout with the launcher only (no .tools, no dist), and a PATH with only `node` and what the script uses.
    async function bareCheckout(
      name: string,
      node: (path: string) => Promise<void>,
    ): Promise<{ script: string; bin: string }> {
      const root = join(dir, name);
      const bin = join(root, 'bin');
      await mkdir(bin, { recursive: true });
      await copyFile(launcher, join(root, 'schemawire'));
      for (const tool of ['dirname', 'readlink']) await symlink(`/usr/bin/${tool}`, join(bin, tool));
      await node(join(bin, 'node'));
      return { script: join(root, 'schemawire'), bin };
    }

    it('tells to run make setup when the only Node is too old', async () => {
      const { script, bin } = await bareCheckout('old-node', async (path) => {
        await writeFile(path, '#!/bin/sh\necho 20\n');
        await chmod(path, 0o755);
      });
      const run = await runProgram('/bin/bash', [script, '--help'], { env: { PATH: bin } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: .*Node\.js >= 22.*make setup/);
    });

    it('tells to run make setup when the CLI is not built', async () => {
      const { script, bin } = await bareCheckout('no-dist', (path) => symlink(process.execPath, path));
      const run = await runProgram('/bin/bash', [script, '--help'], { env: { PATH: bin } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: .*dist\/main\.js is missing.*make setup/);
    });
  });
});
