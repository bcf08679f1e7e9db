import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for the built CLI, the launcher and the example schemas. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The built bin the tests run, as users run it. */
export const mainJs = join(repoRoot, 'packages/cli/dist/main.js');
/** The example schema the demo and tests share. */
export const userSchemaFile = join(repoRoot, 'schemas/user.avsc');
/** The seed user record of the example schema. */
export const USER = { first_name: 'John', last_name: 'Doe', age: 30 };

/** What a CLI run printed and how it exited. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run a program: where, with what extra environment, and what to feed its stdin. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly input?: string | Buffer;
}

/** Runs `file` with `args` and collects its output; the environment holds no registry or broker settings. */
export function runProgram(file: string, args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.env?.['SCHEMA_REGISTRY_URL'] === undefined) delete env['SCHEMA_REGISTRY_URL'];
  if (options.env?.['KAFKA_BROKERS'] === undefined) delete env['KAFKA_BROKERS'];
  if (options.env?.['SCHEMAWIRE_KAFKA_CONFIG'] === undefined) delete env['SCHEMAWIRE_KAFKA_CONFIG'];
  if (options.env?.['SCHEMAWIRE_REGISTRY_DIR'] === undefined) delete env['SCHEMAWIRE_REGISTRY_DIR'];
  return new Promise((done) => {
    const child = execFile(
      file,
      [...args],
      { cwd: options.cwd ?? repoRoot, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** Runs the built CLI with `args`. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return runProgram(process.execPath, [mainJs, ...args], options);
}

/** The JSON objects a run printed, one per stdout line. */
export function jsonLines(run: CliRun): unknown[] {
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A temporary directory with its own embedded registry, for runs that must not see each other's schemas. */
export class Workspace {
  private constructor(readonly dir: string) {}

  static async create(): Promise<Workspace> {
    return new Workspace(await mkdtemp(join(tmpdir(), 'schemawire-cli-test-')));
  }

  /** Runs the CLI in this workspace against its embedded registry. */
  run(args: readonly string[], options: Omit<RunOptions, 'cwd'> = {}): Promise<CliRun> {
    return runCli([...args, '--registry-dir', join(this.dir, 'registry')], { ...options, cwd: this.dir });
  }

  /** Writes a file into the workspace; returns its path. */
  async file(name: string, content: string): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, content);
    return path;
  }

  /** Registers the example user schema under `subject`; returns its id. */
  async registerUser(subject = 'user-value'): Promise<number> {
    const run = await this.run(['register', userSchemaFile, '--subject', subject]);
    if (run.code !== 0) throw new Error(`cannot register user schema: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { id: number }).id;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The user schema with `fields` appended, as Avro schema text. */
export function userSchemaWith(...fields: readonly object[]): string {
  return JSON.stringify({
    type: 'record',
    name: 'User',
    namespace: 'io.schemawire.example',
    fields: [
      { name: 'first_name', type: 'string' },
      { name: 'last_name', type: 'string' },
      { name: 'age', type: 'int' },
      ...fields,
    ],
  });
}

/** The non-empty lines a run printed on stderr. */
export function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line !== '');
}
