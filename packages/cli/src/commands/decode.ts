import type { IncomingMessage } from '@schemawire/core-client';
import {
  Deserializer,
  decimalKeyIdCodec,
  isSchemaWireError,
  locateSchemaId,
  SchemaResolver,
  SchemaWireError,
  schemaIdKey,
} from '@schemawire/core-client';
import { bytesEncodings, parseBytes } from '../bytes-encoding.js';
import { keyCarrierHelp, keyCarrierHint } from '../carrier-option.js';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, oneOf, parseCommandArgs, UsageError } from '../command.js';
import { fallbackChoices, fallbackHelp } from '../fallback-option.js';
import { formatsForLongs, longsChoices, longsHelp } from '../formats.js';
import { jsonLine } from '../printable-json.js';
import { openRawCodecs, readerOptionsHelp, readReaderSchema } from '../raw-schema-option.js';
import { openRegistry } from '../registry-option.js';
import { subjectOfId } from '../subject-of-id.js';

const options = {
  format: { type: 'string' },
  key: { type: 'string' },
  header: { type: 'string', multiple: true },
  fallback: { type: 'string' },
  'key-carrier': { type: 'boolean' },
  longs: { type: 'string' },
  schema: { type: 'string' },
  message: { type: 'string' },
  'reader-schema': { type: 'string' },
} as const;

/** `schemawire decode`: decodes wire bytes, wherever the message carries its schema id. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode wire bytes, finding the schema id in headers, key (with --key-carrier) or prefix',
  help: `Usage: schemawire decode [--format base64|hex] [--key <bytes> [--key-carrier]] [--header name=<bytes>]... [--schema FILE [--message NAME]] [--reader-schema FILE] [--fallback string|json|auto] [--longs number|string] <bytes>

Decodes a message value and prints {"schemaId","schemaType","subject","value"}. The schema id is looked
for in this order, the first found winning: the headers (__value_schema_id, then apicurio.value.*),
then the key (only with --key-carrier), then the Confluent prefix; so with --key-carrier a prefixed
value whose key is a decimal number is read by its key. A payload that carries none (as producers
without a registry write them) decodes with --schema, else as --fallback says, and prints
{"schemaType","value"}; it needs no registry. The value prints in its format's JSON form, which encode
reads back (Avro: dates as "YYYY-MM-DD", times and timestamps as ISO 8601 text, bytes as base64;
Protobuf: the proto3 JSON mapping), 64-bit integers as JSON numbers with all their digits (or, with
--longs string, as decimal text).

Options:
  --format <format>       how the value, key and headers are written: base64 (default) or hex
  --key <bytes>           the message key
${keyCarrierHelp}
  --header <name=bytes>   a message header (repeatable)
  --schema <file>         decode a payload without schema id with this schema: .avsc (Avro), .proto
                          (Protobuf) or .json (JSON Schema); a payload with an id still uses the registry
${readerOptionsHelp}
${fallbackHelp}
${longsHelp}

${globalHelp}

Example:
  schemawire decode AAAAAAEISm9obgZEb2U8
  schemawire decode --schema schemas/user.avsc CEpvaG4GRG9lPA==`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) {
    throw new UsageError('cannot decode payload: give one payload');
  }
  const encoding = oneOf('format', values.format ?? 'base64', bytesEncodings);
  const fallback =
    values.fallback === undefined ? undefined : oneOf('fallback', values.fallback, fallbackChoices);
  const longsAsText = oneOf('longs', values.longs ?? 'number', longsChoices) === 'string';
  const headers: Record<string, Buffer> = {};
  for (const header of values.header ?? []) {
    const equals = header.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(
        `cannot parse arguments: --header must look like name=bytes, got ${JSON.stringify(header)}`,
      );
    }
    const name = header.slice(0, equals);
    headers[name] = parseBytes(header.slice(equals + 1), encoding, `header ${JSON.stringify(name)}`);
  }
  const message = {
    value: parseBytes(input, encoding, 'payload'),
    key: values.key === undefined ? null : parseBytes(values.key, encoding, 'key'),
    headers,
  } satisfies IncomingMessage;

  const registry = openRegistry(values, io);
  if (values['key-carrier'] === true && values.key === undefined) {
    throw new UsageError(
      'cannot decode payload: --key-carrier reads the schema id from --key, which is missing',
    );
  }
  const keyCarrier = values['key-carrier'] === true;
  const resolver = new SchemaResolver(registry);
  const formats = formatsForLongs(longsAsText ? 'string' : 'number');
  const readerSchema = await readReaderSchema(values, io);
  const deserializer = new Deserializer({
    registry: resolver,
    formats,
    keyCarrier,
    jsonValues: true,
    schemaless: await openRawCodecs(values, [], { resolver, formats, readerSchema, io }),
    ...(readerSchema === undefined ? {} : { readerSchema }),
    ...(fallback === undefined ? {} : { fallback }),
  });
  let decoded: Awaited<ReturnType<Deserializer['deserialize']>>;
  try {
    decoded = await deserializer.deserialize(message);
  } catch (error) {
    throw namingSchemaId(error, message, keyCarrier);
  }
  // Only a null value (a tombstone) decodes to null, and the value here is bytes.
  const { schemaId, schemaType, subject: reported, value } = decoded!;
  if (schemaId === undefined) {
    writeLine(io.stdout, jsonLine({ schemaType, value }, longsAsText));
    return 0;
  }
  const subject = reported ?? (await subjectOfId(registry, schemaId)) ?? null;
  writeLine(io.stdout, jsonLine({ schemaId, schemaType, subject, value }, longsAsText));
  return 0;
}

// A registry's not-found answer need not repeat the id, yet the id is what the reader needs to know;
// and where the key could carry the id, whether it was read as one.
function namingSchemaId(
  error: unknown,
  message: { readonly value: Buffer; readonly key: Buffer | null; readonly headers: Record<string, Buffer> },
  keyCarrier: boolean,
): unknown {
  if (!isSchemaWireError(error)) return error;
  let located: ReturnType<typeof locateSchemaId>;
  try {
    located = locateSchemaId(message.value, message.key, message.headers, {
      isKey: false,
      keyIdCodec: keyCarrier ? decimalKeyIdCodec : undefined,
    });
  } catch {
    return error;
  }
  let naming = '';
  if (located !== undefined) {
    const [kind, id] = schemaIdKey(located.schemaId).split(':') as [string, string];
    if (!new RegExp(`\\b${id}\\b`).test(error.message)) naming = ` (schema ${kind} ${id})`;
  }
  const hint = keyCarrierHint(message, keyCarrier);
  if (naming === '' && hint === '') return error;
  return new SchemaWireError(error.code, `${error.message}${naming}${hint}`, {
    cause: error,
    ...(located?.schemaId.kind === 'id' ? { schemaId: located.schemaId.id } : {}),
  });
}
