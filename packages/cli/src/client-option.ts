import { oneOf } from './command.js';

/** The Kafka clients the CLI can run on. */
export const kafkaClients = ['kafkajs', 'platformatic'] as const;

/** One of {@link kafkaClients}. */
export type KafkaClientName = (typeof kafkaClients)[number];

/** The --client line of a command's help. */
export const clientHelp = `  --client <name>         Kafka client to run on: kafkajs (default) or platformatic (@platformatic/kafka)`;

/** The client --client names; kafkajs when it names none. */
export function parseClient(value: string | undefined): KafkaClientName {
  return oneOf('client', value ?? 'kafkajs', kafkaClients);
}
