import { readFileSync } from 'node:fs';
import { escapeControlCharacters } from '@schemawire/core-client';
import type { CliIo } from './cli-io.js';
import { writeLine } from './cli-io.js';
import type { Command } from './command.js';
import { globalHelp, UsageError } from './command.js';
import { checkCommand, compatibilityCommand } from './commands/check.js';
import { codegenCommand } from './commands/codegen.js';
import { configCommand } from './commands/config.js';
import { consumeCommand } from './commands/consume.js';
import { decodeCommand } from './commands/decode.js';
import { deleteCommand } from './commands/delete.js';
import { demoCommand } from './commands/demo.js';
import { encodeCommand } from './commands/encode.js';
import { produceCommand } from './commands/produce.js';
import { registerCommand } from './commands/register.js';
import { schemaCommand } from './commands/schema.js';
import { subjectsCommand } from './commands/subjects.js';
import { topicCommand, topicsCommand } from './commands/topics.js';
import { versionsCommand } from './commands/versions.js';
import { didYouMean } from './did-you-mean.js';

const commands: readonly Command[] = [
  produceCommand,
  consumeCommand,
  registerCommand,
  encodeCommand,
  decodeCommand,
  checkCommand,
  compatibilityCommand,
  subjectsCommand,
  versionsCommand,
  schemaCommand,
  deleteCommand,
  configCommand,
  topicsCommand,
  topicCommand,
  demoCommand,
  codegenCommand,
];

// Global options that take a value, so the value before the command name is not taken for it.
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--registry',
  '--registry-dir',
  '--brokers',
  '--kafka-config',
  '--kafka-property',
  '-X',
]);

const overview = `Usage: schemawire <command> [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(16)}${command.summary}`).join('\n')}
  help <command>  print a command's options, as 'schemawire <command> --help' does

${globalHelp}
  --version               print the version of schemawire

Run 'schemawire help <command>' for a command's options.

Example:
  schemawire register schemas/user.avsc --subject user-value`;

/**
 * Runs the command line with `argv` (the arguments after the program name) and resolves to the exit
 * code: 0 ok, 1 failed, 2 usage. Never throws; failures are one `error:` line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { name, rest } = splitCommand(argv);
  if (name === undefined) {
    if (wantsHelp(rest)) {
      writeLine(io.stdout, overview);
      return 0;
    }
    if (rest[0] === '--version' && rest.length === 1) {
      writeLine(io.stdout, `schemawire ${cliVersion()}`);
      return 0;
    }
    return usageFailure(io, 'cannot run schemawire: no command given', undefined);
  }
  if (name === 'help') return help(rest, io);
  const command = findCommand(name);
  if (command === undefined) return unknownCommand(name, io);
  if (wantsHelp(rest)) {
    writeLine(io.stdout, command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, error.message, command.name);
    writeLine(io.stderr, `error: ${describeError(error)}`);
    return 1;
  }
}

function findCommand(name: string): Command | undefined {
  return commands.find((candidate) => candidate.name === name);
}

// `schemawire help` and `schemawire help <command>`, as git and npm have them.
function help(rest: readonly string[], io: CliIo): number {
  const [name, ...more] = rest.filter((arg) => !arg.startsWith('-'));
  if (name === undefined) {
    writeLine(io.stdout, overview);
    return 0;
  }
  if (more.length > 0) return usageFailure(io, 'cannot print help: name one command', undefined);
  const command = findCommand(name);
  if (command === undefined) return unknownCommand(name, io);
  writeLine(io.stdout, command.help);
  return 0;
}

function unknownCommand(name: string, io: CliIo): number {
  const names = [...commands.map((command) => command.name), 'help'];
  return usageFailure(
    io,
    `cannot run schemawire: unknown command ${JSON.stringify(name)}${didYouMean(name, names)}`,
    undefined,
  );
}

/** The version of this package, as its package.json says. */
export function cliVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
  }
  return { name: undefined, rest: [...argv] };
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

function usageFailure(io: CliIo, message: string, command: string | undefined): number {
  writeLine(io.stderr, `error: ${message}`);
  writeLine(io.stderr, `see 'schemawire ${command === undefined ? '' : `${command} `}--help'`);
  return 2;
}

// One line, whatever threw: the message only, never a stack, never credentials in a URL, and no
// control character that a message quoting a payload might carry to the terminal.
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return escapeControlCharacters(
    message
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\/\/[^/\s@]*@/g, '//')
      .trim(),
  );
}
