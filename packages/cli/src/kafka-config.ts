import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { UsageError } from './command.js';
import { nearestName } from './did-you-mean.js';
import type { Property } from './properties-file.js';
import { PropertiesSyntaxError, parseProperties } from './properties-file.js';

/** What `new Kafka(...)` needs to reach a cluster, from the client properties. */
export interface KafkaConfigForKafkajs {
  readonly brokers: string[];
  readonly clientId?: string;
  readonly ssl?: ConnectionOptions;
  readonly sasl?: SASLOptions;
}

/** The producer settings the client properties may carry, each only when given. */
export interface ProducerProperties {
  readonly acks?: 'all' | '1' | '0';
  readonly idempotence?: boolean;
  readonly deliveryTimeoutMs?: number;
}

/** The client properties of a --kafka-config file and -X options, sorted by who reads them. */
export interface KafkaClientConfig {
  readonly kafka: KafkaConfigForKafkajs;
  readonly producer: ProducerProperties;
  /** `schema.registry.*`, `basic.auth.*` and `bearer.auth.*` properties, as given, for the registry client. */
  readonly registry: Readonly<Record<string, string>>;
  /** The SASL user name, when SASL is on: error messages name it. */
  readonly username?: string;
}

/** Where the properties come from, lowest precedence first: the file, then -X, then --brokers. */
export interface KafkaConfigSources {
  /** The --kafka-config (or SCHEMAWIRE_KAFKA_CONFIG) file, resolved against `cwd`. */
  readonly file?: string | undefined;
  /** `name=value` texts of -X, in order: a later one wins. */
  readonly overrides?: readonly string[] | undefined;
  /** --brokers, or KAFKA_BROKERS when neither the file nor -X names bootstrap.servers. */
  readonly brokers?: string | undefined;
  readonly envBrokers?: string | undefined;
  readonly cwd: string;
}

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const SASL_MECHANISMS = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
  OAUTHBEARER: 'oauthbearer',
} as const;

/** The Kafka client properties understood; `sasl.mechanisms` is librdkafka's spelling. */
const KAFKA_PROPERTIES = [
  'bootstrap.servers',
  'client.id',
  'security.protocol',
  'sasl.mechanism',
  'sasl.mechanisms',
  'sasl.username',
  'sasl.password',
  'sasl.jaas.config',
  'sasl.oauthbearer.token',
  'ssl.ca.location',
  'ssl.certificate.location',
  'ssl.key.location',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
  'acks',
  'enable.idempotence',
  'delivery.timeout.ms',
] as const;

/** Registry client properties this file may carry beside Kafka's; any `schema.registry.*` is one too. */
const REGISTRY_PROPERTIES = [
  'schema.registry.url',
  'basic.auth.user.info',
  'basic.auth.credentials.source',
  'bearer.auth.token',
  'bearer.auth.credentials.source',
] as const;

/** Properties whose values never appear in a message. */
export const SECRET_PROPERTIES: ReadonlySet<string> = new Set([
  'sasl.password',
  'sasl.jaas.config',
  'sasl.oauthbearer.token',
  'ssl.key.password',
  'basic.auth.user.info',
  'bearer.auth.token',
]);

// Java keystores cannot be read here; their users need the PEM spelling instead.
const JAVA_STORES: Readonly<Record<string, string>> = {
  'ssl.truststore.location': 'ssl.ca.location',
  'ssl.keystore.location': 'ssl.certificate.location and ssl.key.location',
};

/**
 * The client properties of `sources`, checked and mapped to kafkajs's options. A property that is
 * unknown, misspelled or malformed, or settings that contradict each other, are {@link UsageError}s
 * that name the property and never repeat a secret.
 */
export function readKafkaConfig(sources: KafkaConfigSources): KafkaClientConfig {
  const properties = new Map<string, string>();
  if (sources.file !== undefined) {
    const path = resolve(sources.cwd, sources.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw configError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let parsed: Property[];
    try {
      parsed = parseProperties(text);
    } catch (error) {
      if (error instanceof PropertiesSyntaxError) throw configError(`${sources.file} ${error.message}`);
      throw error;
    }
    for (const { name, value, line } of parsed) {
      checkName(name, `${sources.file} line ${line}`);
      properties.set(name, value);
    }
  }
  for (const text of sources.overrides ?? []) {
    const separator = text.indexOf('=');
    if (separator <= 0) {
      throw configError('-X needs name=value, e.g. -X security.protocol=SASL_SSL');
    }
    const name = text.slice(0, separator).trim();
    checkName(name, '-X');
    properties.set(name, text.slice(separator + 1));
  }
  return mapProperties(properties, sources);
}

function mapProperties(
  properties: ReadonlyMap<string, string>,
  sources: KafkaConfigSources,
): KafkaClientConfig {
  const get = (name: string) => properties.get(name);
  const brokerList = sources.brokers ?? get('bootstrap.servers') ?? sources.envBrokers ?? '';
  const brokers = brokerList
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');

  const protocol = choice(
    'security.protocol',
    (get('security.protocol') ?? 'PLAINTEXT').toUpperCase(),
    SECURITY_PROTOCOLS,
  );
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const saslOn = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const given = [...properties.keys()];
  const stray = given.find(
    (name) => (name.startsWith('sasl.') && !saslOn) || (name.startsWith('ssl.') && !tls),
  );
  if (stray !== undefined) {
    const needs = stray.startsWith('sasl.') ? 'SASL_PLAINTEXT or SASL_SSL' : 'SSL or SASL_SSL';
    throw configError(`${stray} needs security.protocol ${needs}, not ${protocol}`);
  }

  const registry: Record<string, string> = {};
  for (const [name, value] of properties) if (isRegistryProperty(name)) registry[name] = value;

  let sasl: SASLOptions | undefined;
  let username: string | undefined;
  if (saslOn) {
    ({ sasl, username } = mapSasl(get));
  }
  const config: { -readonly [K in keyof KafkaConfigForKafkajs]: KafkaConfigForKafkajs[K] } = { brokers };
  const clientId = get('client.id');
  if (clientId !== undefined) config.clientId = clientId;
  if (tls) config.ssl = mapSsl(get, sources.cwd);
  if (sasl !== undefined) config.sasl = sasl;
  return {
    kafka: config,
    producer: mapProducer(get),
    registry,
    ...(username === undefined ? {} : { username }),
  };
}

function mapSasl(get: (name: string) => string | undefined): { sasl: SASLOptions; username?: string } {
  const names = Object.keys(SASL_MECHANISMS) as (keyof typeof SASL_MECHANISMS)[];
  const given = get('sasl.mechanism') ?? get('sasl.mechanisms');
  if (given === undefined) {
    throw configError(`a SASL security.protocol needs sasl.mechanism: ${names.join(', ')}`);
  }
  const mechanism = SASL_MECHANISMS[choice('sasl.mechanism', given.toUpperCase(), names)];
  if (mechanism === 'oauthbearer') {
    const token = get('sasl.oauthbearer.token');
    if (token === undefined || token === '') {
      throw configError(
        'sasl.mechanism OAUTHBEARER needs sasl.oauthbearer.token (a token fetched beforehand; fetching tokens from an OAuth server is not supported yet)',
      );
    }
    return { sasl: { mechanism, oauthBearerProvider: async () => ({ value: token }) } };
  }
  const jaas = parseJaas(get('sasl.jaas.config'));
  const username = get('sasl.username') ?? jaas.username;
  const password = get('sasl.password') ?? jaas.password;
  if (username === undefined || username === '')
    throw configError(`sasl.mechanism ${given} needs sasl.username`);
  if (password === undefined) throw configError(`sasl.mechanism ${given} needs sasl.password`);
  return { sasl: { mechanism, username, password }, username };
}

// The Java client names its credentials in a JAAS line:
// org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="...";
function parseJaas(jaas: string | undefined): { username?: string; password?: string } {
  if (jaas === undefined) return {};
  const field = (name: string) =>
    new RegExp(`(?:^|\\s)${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas)?.[1];
  const username = field('username');
  const password = field('password');
  if (username === undefined || password === undefined) {
    throw configError('sasl.jaas.config needs username="..." and password="..."');
  }
  const unquote = (text: string) => text.replace(/\\(.)/g, '$1');
  return { username: unquote(username), password: unquote(password) };
}

function mapSsl(get: (name: string) => string | undefined, cwd: string): ConnectionOptions {
  const ssl: { -readonly [K in keyof ConnectionOptions]: ConnectionOptions[K] } = {};
  const ca = get('ssl.ca.location');
  if (ca !== undefined) ssl.ca = readPem('ssl.ca.location', ca, cwd);
  const cert = get('ssl.certificate.location');
  const key = get('ssl.key.location');
  if ((cert === undefined) !== (key === undefined)) {
    throw configError('ssl.certificate.location and ssl.key.location go together: give both or neither');
  }
  if (cert !== undefined && key !== undefined) {
    ssl.cert = readPem('ssl.certificate.location', cert, cwd);
    ssl.key = readPem('ssl.key.location', key, cwd);
  }
  const passphrase = get('ssl.key.password');
  if (passphrase !== undefined) {
    if (key === undefined) throw configError('ssl.key.password needs ssl.key.location');
    ssl.passphrase = passphrase;
  }
  // Java spells "no check" as an empty value, librdkafka as none.
  const identification = (get('ssl.endpoint.identification.algorithm') ?? 'https').toLowerCase();
  const check = choice(
    'ssl.endpoint.identification.algorithm',
    identification === '' ? 'none' : identification,
    ['https', 'none'],
  );
  // The chain is still verified against the CA; only the host name check is off.
  if (check === 'none') ssl.checkServerIdentity = () => undefined;
  return ssl;
}

function readPem(property: string, path: string, cwd: string): Buffer {
  const full = resolve(cwd, path);
  try {
    return readFileSync(full);
  } catch (error) {
    throw configError(
      `${property}: cannot read ${full}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function mapProducer(get: (name: string) => string | undefined): ProducerProperties {
  const out: { -readonly [K in keyof ProducerProperties]: ProducerProperties[K] } = {};
  const acks = get('acks');
  if (acks !== undefined) {
    const value = choice('acks', acks.toLowerCase(), ['all', '-1', '1', '0']);
    out.acks = value === '-1' ? 'all' : value;
  }
  const idempotence = get('enable.idempotence');
  if (idempotence !== undefined) {
    out.idempotence = choice('enable.idempotence', idempotence.toLowerCase(), ['true', 'false']) === 'true';
  }
  const timeout = get('delivery.timeout.ms');
  if (timeout !== undefined) {
    if (!/^[1-9][0-9]{0,14}$/.test(timeout)) {
      throw configError(`delivery.timeout.ms must be a positive integer, got ${JSON.stringify(timeout)}`);
    }
    out.deliveryTimeoutMs = Number(timeout);
  }
  return out;
}

function isRegistryProperty(name: string): boolean {
  return name.startsWith('schema.registry.') || (REGISTRY_PROPERTIES as readonly string[]).includes(name);
}

function checkName(name: string, where: string): void {
  if ((KAFKA_PROPERTIES as readonly string[]).includes(name) || isRegistryProperty(name)) return;
  const store = JAVA_STORES[name] ?? JAVA_STORES[name.replace(/\.(type|password)$/, '.location')];
  if (store !== undefined) {
    throw configError(
      `${where}: ${name} is a Java keystore setting, which is not read: give PEM files with ${store}`,
    );
  }
  const closest = closestName(name);
  throw configError(
    `${where}: unknown property ${JSON.stringify(name)}${closest === undefined ? '' : ` (did you mean ${JSON.stringify(closest)}?)`}`,
  );
}

/** The known property nearest `name` in edit distance, when near enough to be a likely typo. */
export function closestName(name: string): string | undefined {
  return nearestName(name, [...KAFKA_PROPERTIES, ...REGISTRY_PROPERTIES]);
}

function choice<const A extends readonly string[]>(property: string, value: string, allowed: A): A[number] {
  if ((allowed as readonly string[]).includes(value)) return value;
  const shown = SECRET_PROPERTIES.has(property) ? '' : `, got ${JSON.stringify(value)}`;
  throw configError(`${property} must be one of ${allowed.join(', ')}${shown}`);
}

function configError(detail: string): UsageError {
  return new UsageError(`cannot read Kafka config: ${detail}`);
}
