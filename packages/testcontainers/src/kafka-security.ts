import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCertificates } from './test-certificates.js';

/** How a started broker's client listener is secured; `sasl_ssl` is SCRAM-SHA-512 over TLS. */
export type KafkaSecurity = 'sasl_ssl';

/** What a client needs to reach a secured broker, in the spellings it may want. */
export interface KafkaClientSecurity {
  readonly protocol: 'SASL_SSL';
  readonly mechanism: 'SCRAM-SHA-512';
  readonly username: string;
  readonly password: string;
  /** The CA that signed the broker's certificate. */
  readonly caFile: string;
  readonly caPem: string;
  /** Client properties for `schemawire --kafka-config`, bootstrap.servers and credentials included. */
  readonly properties: string;
  /** {@link properties}, written to a file. */
  readonly propertiesFile: string;
  /** The `ssl` option of kafkajs's `new Kafka(...)`. */
  readonly ssl: { readonly ca: string[] };
  /** The `sasl` option of kafkajs's `new Kafka(...)`. */
  readonly sasl: {
    readonly mechanism: 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

/** The SCRAM user a secured broker is started with. */
export const SCRAM_USER = { username: 'alice', password: 'alice-secret' } as const;

/**
 * The broker environment (apache/kafka's KAFKA_* convention) of a SASL_SSL client listener on 9092
 * advertised as `<host>:<hostPort>`: SCRAM-SHA-512 over TLS with an inline PEM keystore. The
 * controller and the brokers among themselves stay PLAINTEXT inside the container.
 */
export function saslSslEnvironment(
  host: string,
  hostPort: number,
  certificates: TestCertificates,
): Record<string, string> {
  // The run script writes values as they are into a properties file, which reads `\n` as a new line.
  const inline = (pem: string) => pem.trim().replace(/\n/g, '\\n');
  return {
    KAFKA_LISTENERS: 'SASL_SSL://:9092,INTERNAL://:19092,CONTROLLER://:9093',
    KAFKA_ADVERTISED_LISTENERS: `SASL_SSL://${host}:${hostPort},INTERNAL://localhost:19092`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_SASL_ENABLED_MECHANISMS: 'SCRAM-SHA-512',
    KAFKA_LISTENER_NAME_SASL__SSL_SCRAM___SHA___512_SASL_JAAS_CONFIG:
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    KAFKA_SSL_KEYSTORE_TYPE: 'PEM',
    KAFKA_SSL_KEYSTORE_CERTIFICATE_CHAIN: inline(certificates.server.cert),
    KAFKA_SSL_KEYSTORE_KEY: inline(certificates.server.key),
    // Read by the image's run script at format time, not a broker property.
    KAFKA_SCRAM_USERS: `SCRAM-SHA-512=[name=${SCRAM_USER.username},password=${SCRAM_USER.password}]`,
  };
}

/** The client side of {@link saslSslEnvironment}, with its properties file written beside the PEM files. */
export async function saslSslClient(
  brokers: readonly string[],
  certificates: TestCertificates,
): Promise<KafkaClientSecurity> {
  const { username, password } = SCRAM_USER;
  const properties = [
    `bootstrap.servers=${brokers.join(',')}`,
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.username=${username}`,
    `sasl.password=${password}`,
    `ssl.ca.location=${certificates.caFile}`,
    '',
  ].join('\n');
  const propertiesFile = join(certificates.dir, 'client.properties');
  await writeFile(propertiesFile, properties);
  return {
    protocol: 'SASL_SSL',
    mechanism: 'SCRAM-SHA-512',
    username,
    password,
    caFile: certificates.caFile,
    caPem: certificates.ca,
    properties,
    propertiesFile,
    ssl: { ca: [certificates.ca] },
    sasl: { mechanism: 'scram-sha-512', username, password },
  };
}
