import type { MessageHeaders, SchemaIdCarrier } from '@schemawire/core-client';
import { decimalKeyIdCodec, locateSchemaId } from '@schemawire/core-client';
import { oneOf, UsageError } from './command.js';

/**
 * The --carrier names and the carriers they stand for: the library's names, which the README and the
 * serializer options use, and the short names the command line had first, kept as aliases.
 */
export const carriers = {
  prefix: 'prefix',
  'confluent-header': 'confluent-header',
  'apicurio-header': 'apicurio-header',
  key: 'key',
  header: 'confluent-header',
  apicurio: 'apicurio-header',
} as const satisfies Record<string, SchemaIdCarrier>;

/** One of the --carrier names. */
export type CarrierName = keyof typeof carriers;

/** The help lines of --carrier, shared by the commands that write. */
export const carrierHelp = `  --carrier <carrier>     prefix (Confluent magic byte and id, default), confluent-header
                          (__value_schema_id GUID; alias header), apicurio-header
                          (apicurio.value.contentId; alias apicurio) or key (the id as the message key)`;

/** The --carrier name `value` stands for (default prefix); a usage error when it names none. */
export function parseCarrier(value: string | undefined): CarrierName {
  return oneOf('carrier', value ?? 'prefix', Object.keys(carriers) as CarrierName[]);
}

/** The help lines of --apicurio-id, shared by the commands that write. */
export const apicurioIdHelp = `  --apicurio-id <id>      with --carrier apicurio-header: content (header apicurio.value.contentId, default) or
                          global (apicurio.value.globalId, which names the version)`;

/**
 * The serializer option --apicurio-id stands for (content, the default, or global); a usage error when
 * it names neither, or when the carrier is not apicurio, where it would do nothing.
 */
export function parseApicurioId(
  value: string | undefined,
  carrier: CarrierName,
): { apicurioId?: 'contentId' | 'globalId' } {
  if (value === undefined) return {};
  const id = oneOf('apicurio-id', value, ['content', 'global']);
  if (carriers[carrier] !== 'apicurio-header') {
    throw new UsageError('cannot parse arguments: --apicurio-id needs --carrier apicurio');
  }
  return { apicurioId: id === 'global' ? 'globalId' : 'contentId' };
}

/** The help lines of --key-carrier, shared by the commands that read. */
export const keyCarrierHelp = `  --key-carrier           read the value's schema id from the key (decimal text) when no header carries
                          one; off by default, as keys are usually keys of their own (numbers read as ids)`;

/** The parts of a message that say where its value's schema id travels. */
export interface FramedMessage {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly headers?: MessageHeaders | undefined;
}

/**
 * What to say after a failure about the key carrier: with it on, that a key which is a decimal number
 * was read as the schema id; with it off, that a key which could be one was not, when nothing else
 * carried an id. Empty when neither applies.
 */
export function keyCarrierHint(message: FramedMessage, keyCarrier: boolean): string {
  const { value, key, headers } = message;
  if (value === null || key === null || decimalKeyIdCodec.decode(key) === undefined) return '';
  let located: ReturnType<typeof locateSchemaId>;
  try {
    located = locateSchemaId(value, key, headers, {
      isKey: false,
      keyIdCodec: keyCarrier ? decimalKeyIdCodec : undefined,
    });
  } catch {
    return '';
  }
  const text = JSON.stringify(key.toString('utf8'));
  if (keyCarrier) {
    return located?.carrier === 'key'
      ? `; the key ${text} was read as the schema id, so if the keys of this topic are not schema ids, leave out --key-carrier`
      : '';
  }
  return located === undefined ? `; if the key ${text} is the schema id, give --key-carrier` : '';
}
