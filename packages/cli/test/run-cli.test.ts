import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { runCli as runCliInProcess } from '@schemawire/cli';
import { errorLines, runCli } from './support/cli-process.js';

const COMMANDS = [
  'produce',
  'consume',
  'register',
  'encode',
  'decode',
  'check',
  'compatibility',
  'subjects',
  'versions',
  'schema',
  'delete',
  'config',
  'topics',
  'topic',
  'demo',
  'codegen',
];

/** What `schemawire <command> --help` prints, run in this process. */
async function helpOf(command: string): Promise<string> {
  const stdout = new PassThrough();
  const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() };
  expect(await runCliInProcess([command, '--help'], io)).toBe(0);
  return String(stdout.read());
}

/** The options a help's Options section lists that its usage lines (up to the first blank line) leave out. */
function optionsMissingFromUsage(help: string): string[] {
  const usage = help.slice(0, help.indexOf('\n\n'));
  const start = help.indexOf('\nOptions:\n');
  if (start === -1) return [];
  const end = help.indexOf('\n\n', start + 1);
  const section = help.slice(start, end === -1 ? undefined : end);
  const listed = [...section.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]!);
  return listed.filter((option) => !new RegExp(`${option}(?![\\w-])`).test(usage));
}

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

    for (const command of COMMANDS) {
      it(`${command} --help: every option of its Options section stands in its usage line`, async () => {
        const help = await helpOf(command);
        expect(optionsMissingFromUsage(help)).toEqual([]);
      });
    }

    it('sees an option its usage line leaves out', () => {
      const help =
        'Usage: schemawire x --topic T [--raw]\n\nOptions:\n  --topic <T>  a\n  --raw  b\n  --raw-key  c\n  -X, --set <v>  d\n';
      expect(optionsMissingFromUsage(help)).toEqual(['--raw-key', '--set']);
    });

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

describe('cli > run-cli > conventions', () => {
  it('--version prints the version of the package', async () => {
    const { readFile } = await import('node:fs/promises');
    const { repoRoot } = await import('./support/cli-process.js');
    const pkg = JSON.parse(await readFile(`${repoRoot}/packages/cli/package.json`, 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `schemawire ${pkg.version}\n`, stderr: '' });
  });

  it('help <command> prints what <command> --help prints', async () => {
    for (const command of ['decode', 'topic', 'subjects']) {
      const [help, flag] = await Promise.all([runCli(['help', command]), runCli([command, '--help'])]);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toBe(flag.stdout);
    }
    const overview = await runCli(['help']);
    expect(overview.stdout).toMatch(/^Usage: schemawire <command>/);
  });

  it('help of an unknown command: exit 2 with the command meant', async () => {
    const run = await runCli(['help', 'decod']);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot run schemawire: unknown command "decod" (did you mean "decode"?)',
    );
  });

  it('a misspelt command names the one meant', async () => {
    const run = await runCli(['subjetcs']);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot run schemawire: unknown command "subjetcs" (did you mean "subjects"?)',
    );
  });

  it('a misspelt option names the one meant', async () => {
    const run = await runCli(['consume', '--topci', 'orders']);
    expect(run.code).toBe(2);
    expect(errorLines(run)).toEqual([
      'error: cannot parse arguments: unknown option "--topci" (did you mean "--topic"?)',
      "see 'schemawire consume --help'",
    ]);
  });

  it('an option far from any: no suggestion', async () => {
    const run = await runCli(['consume', '--frobnicate']);
    expect(errorLines(run)[0]).toBe('error: cannot parse arguments: unknown option "--frobnicate"');
  });

  // Measured before: `unknown option "-t"`, a letter the user never typed as an option.
  it('a word with one dash: names the word and the option meant', async () => {
    const run = await runCli(['produce', '-topic', 'orders']);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot parse arguments: unknown option "-topic": options that are words take two dashes (did you mean "--topic"?)',
    );
    const other = await runCli(['consume', '-frm-beginning']);
    expect(errorLines(other)[0]).toBe(
      'error: cannot parse arguments: unknown option "-frm-beginning": options that are words take two dashes (did you mean "--from-beginning"?)',
    );
  });

  it('the short options keep working: -h, -X name=value and -Xname=value', async () => {
    expect((await runCli(['subjects', '-h'])).code).toBe(0);
    const run = await runCli(['topics', '-Xclient.id=x', '-X', 'bootstrap.server=localhost:1']);
    expect(errorLines(run)[0]).toContain('did you mean "bootstrap.servers"?');
  });

  it('decode --help states the lookup order the decoder uses: headers, the key, then the prefix', async () => {
    const run = await runCli(['decode', '--help']);
    const text = run.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      'the headers (__value_schema_id, then apicurio.value.*), then the key (only with --key-carrier), then the Confluent prefix',
    );
    const overview = (await runCli(['--help'])).stdout;
    expect(overview).toContain('finding the schema id in headers, key (with --key-carrier) or prefix');
  });
});
