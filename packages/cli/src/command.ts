import type { ParseArgsOptionsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { didYouMean } from './did-you-mean.js';

/** One `schemawire <name>` command. */
export interface Command {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The text `--help` prints: usage, options and one example. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called (exit 2), as opposed to a failure while running it (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Options every command accepts: where the registry is and, for commands that talk to Kafka, the
 * brokers and the client properties that reach them.
 */
export const globalOptions = {
  registry: { type: 'string' },
  'registry-dir': { type: 'string' },
  'registry-api': { type: 'string' },
  'registry-ca': { type: 'string' },
  'registry-cert': { type: 'string' },
  'registry-key': { type: 'string' },
  'registry-auth': { type: 'string' },
  'registry-token': { type: 'string' },
  brokers: { type: 'string' },
  'kafka-config': { type: 'string' },
  'kafka-property': { type: 'string', short: 'X', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

/** The help lines of {@link globalOptions}, shared by every command's `--help`. */
export const globalHelp = `Global options:
  --registry <url>        schema registry URL (env SCHEMA_REGISTRY_URL)
  --registry-api <api>    confluent or apicurio (native API); default apicurio for a URL ending in
                          /apis/registry/v3, else confluent
  --registry-ca <file>    PEM file of the CA that signed the registry's certificate
  --registry-cert <file>  PEM file of the client certificate, for a registry that asks for one
  --registry-key <file>   PEM file of the client certificate's key
  --registry-auth <u:p>   HTTP Basic credentials USER:PASS (env SCHEMA_REGISTRY_AUTH)
  --registry-token <tok>  bearer token (env SCHEMA_REGISTRY_TOKEN)
  --registry-dir <dir>    embedded registry directory when no --registry (env SCHEMAWIRE_REGISTRY_DIR;
                          default ./.schemawire/registry, except for produce and consume, which need
                          the registry named)
  --brokers <list>        Kafka brokers (env KAFKA_BROKERS; wins over bootstrap.servers)
  --kafka-config <file>   Kafka client properties, as the Java client and librdkafka name them (env
                          SCHEMAWIRE_KAFKA_CONFIG): bootstrap.servers, client.id, security.protocol
                          (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), sasl.mechanism (PLAIN,
                          SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER with sasl.oauthbearer.token),
                          sasl.username, sasl.password (or sasl.jaas.config), ssl.ca.location,
                          ssl.certificate.location, ssl.key.location, ssl.key.password,
                          ssl.endpoint.identification.algorithm (https or none), and for produce acks,
                          enable.idempotence, delivery.timeout.ms (its flags win); schema.registry.*,
                          basic.auth.* and bearer.auth.* lines are accepted for the registry client,
                          but --registry (or SCHEMA_REGISTRY_URL) still names the registry
  -X, --kafka-property <name=value>  one client property; wins over the file (repeatable)
  -h, --help              print this help`;

/** Parses a command's arguments with its options and the global ones; bad arguments are {@link UsageError}s. */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T) {
  const all: ParseArgsOptionsConfig = { ...globalOptions, ...options };
  checkSingleDashWords(argv, all);
  try {
    return parseArgs({
      args: withNegativeValues(argv, all),
      options: { ...globalOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`cannot parse arguments: ${describeParseError(error, all)}`);
  }
}

/**
 * The one convention of short options: a single dash takes one letter (`-h`, `-X name=value`), two
 * dashes a word. parseArgs reads `-topic` as the letters -t -o -p -i -c and names only `-t`; the word
 * with one dash is what the user typed, so that is what the message names, with the option meant.
 */
function checkSingleDashWords(argv: readonly string[], options: ParseArgsOptionsConfig): void {
  const shorts = new Map(
    Object.entries(options).flatMap(([, option]) =>
      option.short === undefined ? [] : [[option.short, option.type] as const],
    ),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && options[arg.slice(2)]?.type === 'string') i++;
      continue;
    }
    if (!/^-[^-0-9.]./.test(arg)) continue;
    const type = shorts.get(arg[1]!);
    if (type === 'string') continue; // -Xname=value: the letter's value follows it
    if (arg.length === 2) continue;
    const word = arg.slice(1).split('=')[0]!;
    const meant =
      options[word] === undefined
        ? didYouMean(`--${word}`, longNames(options))
        : ` (did you mean "--${word}"?)`;
    throw new UsageError(
      `cannot parse arguments: unknown option ${JSON.stringify(arg.split('=')[0])}: options that are words take two dashes${meant}`,
    );
  }
}

function longNames(options: ParseArgsOptionsConfig): string[] {
  return Object.keys(options).map((name) => `--${name}`);
}

// parseArgs takes `-3` after an option for an option of its own, and refuses the pair as ambiguous;
// a negative number is a value, which the option's own check then names as out of range.
function withNegativeValues(argv: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-[0-9.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

// Node's messages are long and advise on `--`; the option name is all a user needs.
function describeParseError(error: unknown, options: ParseArgsOptionsConfig): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (quoted === undefined) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option ${JSON.stringify(quoted)}${didYouMean(quoted, longNames(options))}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = JSON.stringify(/--[\w-]+/.exec(quoted)?.[0] ?? quoted);
    // "argument missing" at the end of the line, "ambiguous" when another option follows.
    return message.includes('argument missing') || message.includes('ambiguous')
      ? `option ${name} needs a value`
      : `option ${name} takes no value`;
  }
  return message;
}

/** `value` when it is one of `allowed`; a {@link UsageError} naming the option otherwise. */
export function oneOf<const A extends readonly string[]>(
  option: string,
  value: string,
  allowed: A,
): A[number] {
  if ((allowed as readonly string[]).includes(value)) return value;
  throw new UsageError(
    `cannot parse arguments: --${option} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** `value` as a positive integer; a {@link UsageError} naming the option otherwise. */
export function parsePositiveInteger(option: string, value: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(value)) {
    throw new UsageError(
      `cannot parse arguments: --${option} must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** `value` as an integer of 0 or more; a {@link UsageError} naming the option otherwise. */
export function parseNonNegativeInteger(option: string, value: string): number {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(value)) {
    throw new UsageError(
      `cannot parse arguments: --${option} must be an integer of 0 or more, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}
