import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { runCli as runCliInProcess } from '@schemawire/cli';
import { errorLines, runCli } from './support/cli-process.js';

const COMMANDS = ['produce', 'consume', 'register', 'encode', 'decode', 'check', 'demo'];

describe('cli > run-cli', () => {
  describe('cli > run-cli > help', () => {
    for (const command of COMMANDS) {
      it(`${command} --help prints usage and an example on stdout`, async () => {
        const run = await runCli([command, '--help']);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toMatch(new RegExp(`^Usage: schemawire ${command}`));
        expect(run.stdout).toMatch(new RegExp(`Example:\\n  schemawire ${command} `));
      });
    }

    it('--help without a command lists every command', async () => {
      const run = await runCli(['--help']);
      expect(run.code).toBe(0);
      for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command} `);
    });

    it('help wins over arguments that would be wrong', async () => {
      const run = await runCli(['encode', '--carrier', 'pigeon', '-h']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: schemawire encode/);
    });
  });

  describe('cli > run-cli > usage errors', () => {
    it('no command: exit 2', async () => {
      const run = await runCli([]);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(errorLines(run)).toEqual([
        'error: cannot run schemawire: no command given',
        "see 'schemawire --help'",
      ]);
    });

    it('an unknown command: exit 2 naming it', async () => {
      const run = await runCli(['publish']);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([
        'error: cannot run schemawire: unknown command "publish"',
        "see 'schemawire --help'",
      ]);
    });

    it('an unknown option: exit 2 naming it and the command help', async () => {
      const run = await runCli(['decode', 'AA==', '--colour']);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([
        'error: cannot parse arguments: unknown option "--colour"',
        "see 'schemawire decode --help'",
      ]);
    });

    it('an option without its value: exit 2 naming it', async () => {
      const run = await runCli(['encode', 'x', '--subject']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe('error: cannot parse arguments: option "--subject" needs a value');
    });
  });

  it('takes global options before the command name', async () => {
    const run = await runCli([
      '--registry-dir',
      '/nonexistent/registry',
      '--brokers',
      'localhost:9092',
      'check',
      '--help',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: schemawire check/);
  });

  it('runs embedded, returning the exit code and writing to the given streams', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const io = { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: process.cwd() };
    expect(await runCliInProcess(['nope'], io)).toBe(2);
    expect(String(stderr.read())).toContain('unknown command "nope"');
    expect(await runCliInProcess(['demo', '--help'], io)).toBe(0);
    expect(String(stdout.read())).toMatch(/^Usage: schemawire demo/);
  });
});
