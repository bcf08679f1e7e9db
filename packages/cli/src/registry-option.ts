import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SchemaRegistryClient } from '@schemawire/core-client';
import type { RegistryAuth, RegistryTls, RestClientOptions } from '@schemawire/registry-adapter';
import { ApicurioRestClient, ConfluentRestClient, EmbeddedRegistry } from '@schemawire/registry-adapter';
import type { CliIo } from './cli-io.js';
import { oneOf, UsageError } from './command.js';
import { cliFormats } from './formats.js';
import { readKafkaConfig } from './kafka-config.js';

/** Where the embedded registry keeps its data when neither --registry nor --registry-dir is given. */
export const DEFAULT_REGISTRY_DIR = '.schemawire/registry';

/** The registry options every command accepts. */
export interface RegistryOptions {
  readonly registry?: string | undefined;
  readonly 'registry-dir'?: string | undefined;
  /** confluent or apicurio; default by the URL's path. */
  readonly 'registry-api'?: string | undefined;
  /** A PEM file of the CAs that signed the registry's certificate. */
  readonly 'registry-ca'?: string | undefined;
  /** A PEM file of the client certificate. */
  readonly 'registry-cert'?: string | undefined;
  /** A PEM file of the client certificate's key. */
  readonly 'registry-key'?: string | undefined;
  /** USER:PASS for HTTP Basic auth. */
  readonly 'registry-auth'?: string | undefined;
  /** A bearer token. */
  readonly 'registry-token'?: string | undefined;
  /** Kafka client properties, which may also name the registry (Confluent's property names). */
  readonly 'kafka-config'?: string | undefined;
  readonly 'kafka-property'?: readonly string[] | undefined;
}

const REST_OPTIONS = [
  'registry-api',
  'registry-ca',
  'registry-cert',
  'registry-key',
  'registry-auth',
  'registry-token',
] as const satisfies readonly (keyof RegistryOptions)[];

/** The registry APIs --registry-api names. */
export const registryApis = ['confluent', 'apicurio'] as const;

// Confluent's client property names for the registry, and the options they stand for.
const PROPERTY_OPTIONS = {
  'schema.registry.url': 'registry',
  'basic.auth.user.info': 'registry-auth',
  'bearer.auth.token': 'registry-token',
  'schema.registry.ssl.ca.location': 'registry-ca',
  'schema.registry.ssl.certificate.location': 'registry-cert',
  'schema.registry.ssl.key.location': 'registry-key',
} as const satisfies Record<string, keyof RegistryOptions>;

/**
 * `options` with the registry settings of a Confluent client configuration (`schema.registry.url`,
 * `basic.auth.user.info`, `bearer.auth.token`, `schema.registry.ssl.{ca,certificate,key}.location`)
 * under them: an option given on the command line wins, and credentials given there replace both kinds
 * from `properties`.
 */
export function withRegistryProperties(
  options: RegistryOptions,
  properties: Readonly<Record<string, string>>,
): RegistryOptions {
  const merged: Record<string, unknown> = { ...options };
  const credentialsGiven = options['registry-auth'] !== undefined || options['registry-token'] !== undefined;
  for (const [property, option] of Object.entries(PROPERTY_OPTIONS)) {
    const value = properties[property];
    if (value === undefined || merged[option] !== undefined) continue;
    if (credentialsGiven && (option === 'registry-auth' || option === 'registry-token')) continue;
    merged[option] = value;
  }
  return merged as RegistryOptions;
}

/**
 * The registry the options name: a REST registry at --registry (or SCHEMA_REGISTRY_URL), spoken to in
 * the API of --registry-api, else the embedded one in --registry-dir, so every command works offline.
 */
export function openRegistry(given: RegistryOptions, io: CliIo): SchemaRegistryClient {
  const options = withConfiguredRegistry(given, io);
  const url = options.registry ?? io.env['SCHEMA_REGISTRY_URL'];
  if (url !== undefined && url !== '') {
    // The URL may hold credentials, so the message does not repeat it.
    if (!URL.canParse(url)) {
      throw new UsageError('cannot open registry: --registry (or SCHEMA_REGISTRY_URL) is not a URL');
    }
    const rest: RestClientOptions = {
      baseUrl: url,
      ...optional('auth', registryAuth(options, io)),
      ...optional('tls', registryTls(options, io)),
    };
    return registryApi(options, url) === 'apicurio'
      ? new ApicurioRestClient(rest)
      : new ConfluentRestClient(rest);
  }
  // An option for a REST registry with none named would be ignored, and the run would quietly use
  // the embedded registry instead of the one meant.
  const restOnly = REST_OPTIONS.find((name) => options[name] !== undefined);
  if (restOnly !== undefined) {
    throw new UsageError(`cannot open registry: --${restOnly} needs --registry (or SCHEMA_REGISTRY_URL)`);
  }
  return new EmbeddedRegistry({
    formats: [...cliFormats],
    dir: resolve(io.cwd, registryDir(options, io) ?? DEFAULT_REGISTRY_DIR),
  });
}

/** The help lines of the commands that talk to Kafka, on the registry they need. */
export const namedRegistryHelp = `As it talks to Kafka, it needs the registry named (--registry, SCHEMA_REGISTRY_URL,
--registry-dir or SCHEMAWIRE_REGISTRY_DIR): the schema ids of the default embedded registry would mean other schemas to the
registry of the topics.`;

/**
 * The registry of a command that talks to Kafka, which the options must name: messages written with
 * the default embedded registry's ids would read as other schemas in the real registry, and messages
 * read would decode with the wrong schemas. A usage error starting with `action` when none is named.
 */
export function openNamedRegistry(given: RegistryOptions, io: CliIo, action: string): SchemaRegistryClient {
  const options = withConfiguredRegistry(given, io);
  if (!namesRegistry(options, io)) {
    throw new UsageError(
      `${action}: name the schema registry: --registry, SCHEMA_REGISTRY_URL or --registry-dir`,
    );
  }
  return openRegistry(options, io);
}

/** Whether the options (or the environment, or the client properties) name a registry. */
export function isRegistryNamed(given: RegistryOptions, io: CliIo): boolean {
  return namesRegistry(withConfiguredRegistry(given, io), io);
}

function namesRegistry(options: RegistryOptions, io: CliIo): boolean {
  const url = options.registry ?? io.env['SCHEMA_REGISTRY_URL'];
  return (url !== undefined && url !== '') || registryDir(options, io) !== undefined;
}

/** The API --registry-api names, else Apicurio's native one for a URL whose path is /apis/registry/v3. */
export function registryApi(options: RegistryOptions, url: string): (typeof registryApis)[number] {
  if (options['registry-api'] !== undefined)
    return oneOf('registry-api', options['registry-api'], registryApis);
  const path = new URL(url).pathname.replace(/\/+$/, '');
  return path.endsWith('/apis/registry/v3') ? 'apicurio' : 'confluent';
}

// --registry-auth or --registry-token (or their variables); the values are secrets, so no message
// repeats them.
function registryAuth(options: RegistryOptions, io: CliIo): RegistryAuth | undefined {
  const basic = options['registry-auth'] ?? nonEmpty(io.env['SCHEMA_REGISTRY_AUTH']);
  const token = options['registry-token'] ?? nonEmpty(io.env['SCHEMA_REGISTRY_TOKEN']);
  if (basic !== undefined && token !== undefined) {
    throw new UsageError(
      'cannot open registry: give --registry-auth (SCHEMA_REGISTRY_AUTH) or --registry-token (SCHEMA_REGISTRY_TOKEN), not both',
    );
  }
  if (token !== undefined) return { token };
  if (basic === undefined) return undefined;
  const colon = basic.indexOf(':');
  if (colon <= 0) {
    throw new UsageError('cannot open registry: --registry-auth (or SCHEMA_REGISTRY_AUTH) must be USER:PASS');
  }
  return { username: basic.slice(0, colon), password: basic.slice(colon + 1) };
}

function registryTls(options: RegistryOptions, io: CliIo): RegistryTls | undefined {
  const cert = options['registry-cert'];
  const key = options['registry-key'];
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError('cannot open registry: --registry-cert and --registry-key go together');
  }
  const tls = {
    ...optional('ca', pemFile('registry-ca', options['registry-ca'], io)),
    ...optional('cert', pemFile('registry-cert', cert, io)),
    ...optional('key', pemFile('registry-key', key, io)),
  };
  return Object.keys(tls).length === 0 ? undefined : tls;
}

function pemFile(option: string, file: string | undefined, io: CliIo): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `cannot open registry: --${option} ${JSON.stringify(file)} cannot be read (${typeof code === 'string' ? code : String(error)})`,
    );
  }
}

// The registry settings of --kafka-config (or SCHEMAWIRE_KAFKA_CONFIG) and -X under the options, so
// one file can describe a whole estate.
function withConfiguredRegistry(options: RegistryOptions, io: CliIo): RegistryOptions {
  const file = options['kafka-config'] ?? nonEmpty(io.env['SCHEMAWIRE_KAFKA_CONFIG']);
  const overrides = options['kafka-property'];
  if (file === undefined && overrides === undefined) return options;
  return withRegistryProperties(options, readKafkaConfig({ file, overrides, cwd: io.cwd }).registry);
}

// The embedded registry's folder the user named: --registry-dir, else SCHEMAWIRE_REGISTRY_DIR.
function registryDir(options: RegistryOptions, io: CliIo): string | undefined {
  return options['registry-dir'] ?? nonEmpty(io.env['SCHEMAWIRE_REGISTRY_DIR']);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

// A property only when it has a value, as the clients' options are exact about undefined.
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
