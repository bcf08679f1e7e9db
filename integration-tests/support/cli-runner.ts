import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KafkaHarness } from './kafka-harness.js';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/** What a run of the built CLI printed and how it exited. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How the CLI runs: its stdin, the streams taken for a terminal, and a registry or none. */
export interface CliRunOptions {
  readonly input?: string | Buffer;
  /** Streams taken for a terminal, as in an interactive shell. */
  readonly terminal?: readonly ('stdin' | 'stderr')[];
  /** Run with no registry named (default: the test stack's). */
  readonly noRegistry?: boolean;
}

/** Runs the built CLI against the harness's broker and (unless told otherwise) registry. */
export function runCli(
  harness: KafkaHarness,
  args: readonly string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const { brokers, registryUrl } = harness.services;
  const env: Record<string, string | undefined> = { ...process.env, KAFKA_BROKERS: brokers.join(',') };
  if (options.noRegistry === true) delete env['SCHEMA_REGISTRY_URL'];
  else env['SCHEMA_REGISTRY_URL'] = registryUrl;
  const preload = (options.terminal ?? []).map(
    (stream) => `--import=data:text/javascript,process.${stream}.isTTY=true`,
  );
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [...preload, mainJs, ...withClient(args)],
      { env },
      (error, stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * The arguments with `--client $SCHEMAWIRE_CLIENT` for produce and consume when that is set and they
 * name no client: the suites run on either Kafka client.
 */
function withClient(args: readonly string[]): readonly string[] {
  const client = process.env['SCHEMAWIRE_CLIENT'];
  if (client === undefined || client === '' || args.includes('--client')) return args;
  return args[0] === 'produce' || args[0] === 'consume' ? [...args, '--client', client] : args;
}

/** Lines of JSON, as produce reads them. */
export const ndjson = (...lines: unknown[]): string =>
  `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;

/** The JSON objects a run printed on stdout. */
export const printed = (run: CliRun): Record<string, unknown>[] =>
  run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The non-empty lines a run printed on stderr. */
export const stderrLines = (run: CliRun): string[] => run.stderr.split('\n').filter((line) => line !== '');
