import { isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
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
  /**
   * With TLS on, one handshake with the first broker, which fails at once when its certificate does
   * not verify; kafkajs would try for about 9 s before saying so. Any other outcome is left to kafkajs.
   */
  checkTls(): Promise<void>;
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
  return {
    kafka,
    config,
    connectError: (error) => connectError(error, config),
    checkTls: () => checkTls(config),
  };
}

const TLS_CHECK_TIMEOUT_MS = 10_000;

async function checkTls(config: KafkaClientConfig): Promise<void> {
  const { ssl, brokers } = config.kafka;
  const broker = brokers[0];
  if (ssl === undefined || broker === undefined) return;
  const separator = broker.lastIndexOf(':');
  const host = broker.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  const port = Number(broker.slice(separator + 1));
  if (separator === -1 || !Number.isInteger(port)) return;
  const failure = await new Promise<Error | undefined>((done) => {
    const socket = connectTls({ ...ssl, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) });
    const end = (error?: Error) => {
      socket.destroy();
      done(error);
    };
    socket.setTimeout(TLS_CHECK_TIMEOUT_MS, () => end());
    socket.once('secureConnect', () => end());
    socket.once('error', (error) => end(error));
  });
  if (failure === undefined) return;
  const located = Object.assign(failure, { broker });
  if (connectRefusal(located) !== undefined) throw connectError(located, config);
}

function connectError(error: unknown, config: KafkaClientConfig): SchemaWireError {
  const refusal = connectRefusal(error);
  if (refusal === undefined) return kafkaError('cannot connect to Kafka', error);
  const at =
    refusal.kind === 'tls' && refusal.broker !== undefined ? refusal.broker : config.kafka.brokers.join(',');
  const detail =
    refusal.kind === 'authentication'
      ? `SASL authentication failed for user ${JSON.stringify(config.username ?? '')}`
      : `TLS failed: ${tlsMessage(refusal.message)}${tlsHint(refusal.code, config)}`;
  return new SchemaWireError(ErrorCode.Kafka, `cannot connect to Kafka at ${at}: ${detail}`, {
    cause: error,
    retriable: false,
  });
}

// Node 24 advises a flag of its own, which a user of this command cannot pass.
function tlsMessage(message: string): string {
  return message.replace(/^Connection error: /, '').replace(/; if the root CA is installed locally.*$/, '');
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
