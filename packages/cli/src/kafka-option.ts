import { Kafka, logLevel } from 'kafkajs';
import type { CliIo } from './cli-io.js';
import { UsageError } from './command.js';

/** The Kafka option every command accepts. */
export interface KafkaOptions {
  readonly brokers?: string | undefined;
}

/**
 * A Kafka client of the brokers --brokers (or KAFKA_BROKERS) lists, comma-separated; a usage error
 * starting with `action` when there are none. kafkajs logs nothing: failures reach the user as the
 * command's one error line.
 */
export function openKafka(options: KafkaOptions, io: CliIo, action: string): Kafka {
  const list = options.brokers ?? io.env['KAFKA_BROKERS'] ?? '';
  const brokers = list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (brokers.length === 0) throw new UsageError(`${action}: --brokers (or KAFKA_BROKERS) is required`);
  return new Kafka({ clientId: 'schemawire-cli', brokers, logLevel: logLevel.NOTHING });
}
