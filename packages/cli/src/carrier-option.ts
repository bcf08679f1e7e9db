import type { SchemaIdCarrier } from '@schemawire/core-client';
import { oneOf } from './command.js';

/** The --carrier names and the carriers they stand for. */
export const carriers = {
  prefix: 'prefix',
  header: 'confluent-header',
  apicurio: 'apicurio-header',
  key: 'key',
} as const satisfies Record<string, SchemaIdCarrier>;

/** One of the --carrier names. */
export type CarrierName = keyof typeof carriers;

/** The help lines of --carrier, shared by the commands that write. */
export const carrierHelp = `  --carrier <carrier>     prefix (Confluent magic byte and id, default), header (__value_schema_id GUID),
                          apicurio (apicurio.value.contentId) or key (the id as the message key)`;

/** The --carrier name `value` stands for (default prefix); a usage error when it names none. */
export function parseCarrier(value: string | undefined): CarrierName {
  return oneOf('carrier', value ?? 'prefix', Object.keys(carriers) as CarrierName[]);
}
