import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { connectRefusal, kafkaError } from '@schemawire/kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import type { CliIo } from './cli-io.js';
import { UsageError } from './command.js';
import type { KafkaClientConfig } from './kafka-config.js';
import { readKafkaConfig } from './kafka-config.js';

/** The Kafka options every command accepts. */
export interface KafkaOptions {
  readonly brokers?: string | undefined;
  readonly 'kafka-config'?: string | undefined;
  readonly 'kafka-property'?: readonly string[] | undefined;
}

/** A Kafka client with the settings it was made from. */
export interface OpenedKafka {
  readonly kafka: Kafka;
  readonly config: KafkaClientConfig;
  /** The error of a failed connect: one line naming the broker and, for a refused login or TLS, why. */
  connectError(error: unknown): SchemaWireError;
}

/**
 * A Kafka client of the client properties in --kafka-config (or SCHEMAWIRE_KAFKA_CONFIG) and -X, with
 * --brokers (or KAFKA_BROKERS when no property names bootstrap.servers) for the brokers; a usage error
 * starting with `action` when there are none. kafkajs logs nothing: failures reach the user as the
 * command's one error line.
 */
export function openKafka(options: KafkaOptions, io: CliIo, action: string): OpenedKafka {
  const config = readKafkaConfig({
    file: options['kafka-config'] ?? nonEmpty(io.env['SCHEMAWIRE_KAFKA_CONFIG']),
    overrides: options['kafka-property'],
    brokers: options.brokers,
    envBrokers: io.env['KAFKA_BROKERS'],
    cwd: io.cwd,
  });
  const { brokers } = config.kafka;
  if (brokers.length === 0) {
    throw new UsageError(
      `${action}: --brokers (or KAFKA_BROKERS, or bootstrap.servers in --kafka-config) is required`,
    );
  }
  const kafka = new Kafka({ clientId: 'schemawire-cli', ...config.kafka, logLevel: logLevel.NOTHING });
  return { kafka, config, connectError: (error) => connectError(error, config) };
}

function connectError(error: unknown, config: KafkaClientConfig): SchemaWireError {
  const refusal = connectRefusal(error);
  if (refusal === undefined) return kafkaError('cannot connect to Kafka', error);
  const at =
    refusal.kind === 'tls' && refusal.broker !== undefined ? refusal.broker : config.kafka.brokers.join(',');
  const detail =
    refusal.kind === 'authentication'
      ? `SASL authentication failed for user ${JSON.stringify(config.username ?? '')}`
      : `TLS failed: ${refusal.message.replace(/^Connection error: /, '')}${tlsHint(refusal.code, config)}`;
  return new SchemaWireError(ErrorCode.Kafka, `cannot connect to Kafka at ${at}: ${detail}`, {
    cause: error,
    retriable: false,
  });
}

// What to change for the failures a setting causes.
function tlsHint(code: string, config: KafkaClientConfig): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return ' (the certificate does not name this host; ssl.endpoint.identification.algorithm=none skips the host name check)';
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return ' (does this port speak TLS? check security.protocol)';
  }
  if (code.startsWith('CERT_') && code !== 'CERT_UNTRUSTED') return '';
  return config.kafka.ssl?.ca === undefined
    ? " (the broker's certificate is not signed by a CA this machine trusts: give its CA with ssl.ca.location)"
    : " (the broker's certificate is not signed by the CA of ssl.ca.location)";
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
