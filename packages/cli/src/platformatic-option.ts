import { Admin } from '@platformatic/kafka';
import type { PlatformaticProducerOptions } from '@schemawire/platformatic-kafka';
import type { KafkaClientConfig } from './kafka-config.js';

/** How @platformatic/kafka reaches the cluster: its brokers, client id, TLS and SASL settings. */
export type PlatformaticConnection = Pick<
  PlatformaticProducerOptions,
  'clientId' | 'bootstrapBrokers' | 'tls' | 'sasl'
>;

// kafkajs spells the mechanisms in lower case, Kafka and @platformatic/kafka in upper case.
const MECHANISMS = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  oauthbearer: 'OAUTHBEARER',
} as const;

/**
 * The settings of --brokers, --kafka-config and -X as @platformatic/kafka takes them: the same brokers,
 * client id, TLS options (CA, client certificate, host name check) and SASL credentials as kafkajs gets.
 */
export function platformaticConnection(config: KafkaClientConfig): PlatformaticConnection {
  const { brokers, clientId, ssl, sasl } = config.kafka;
  const connection: { -readonly [K in keyof PlatformaticConnection]: PlatformaticConnection[K] } = {
    clientId: clientId ?? 'schemawire-cli',
    bootstrapBrokers: [...brokers],
  };
  if (ssl !== undefined) connection.tls = ssl;
  if (sasl === undefined) return connection;
  const mechanism = MECHANISMS[sasl.mechanism as keyof typeof MECHANISMS];
  if ('oauthBearerProvider' in sasl) {
    const provider = sasl.oauthBearerProvider;
    connection.sasl = { mechanism, token: async () => (await provider()).value };
  } else if ('username' in sasl) {
    connection.sasl = { mechanism, username: sasl.username, password: sasl.password };
  }
  return connection;
}

/**
 * Connects once, asking a broker for its API versions, and fails as kafkajs would: with the broker and
 * the reason (refused, a login, a TLS code). @platformatic/kafka's clients connect lazily, and an
 * idempotent producer retries a refused connection without end; a plain client gives up after its few
 * retries, and checks the login and TLS on the way.
 */
export async function probeConnection(connection: PlatformaticConnection): Promise<void> {
  const probe = new Admin(connection);
  try {
    await probe.listApis();
  } catch (error) {
    throw lastCause(error);
  } finally {
    await probe.close();
  }
}

// @platformatic/kafka wraps a failed connect in an error per attempt, each in one per broker; the last
// attempt's innermost error names the broker and the reason (refused, a TLS code), as kafkajs's would.
function lastCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const { errors, cause } = current as { errors?: unknown; cause?: unknown };
    const next = Array.isArray(errors) && errors.length > 0 ? errors.at(-1) : cause;
    if (typeof next !== 'object' || next === null) return current;
    current = next;
  }
  return current;
}
