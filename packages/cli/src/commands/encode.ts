import type { PayloadSerializer, SchemaFormat, SerializedPayload } from '@schemawire/core-client';
import {
  ErrorCode,
  isSchemaWireError,
  parseJsonExactly,
  SchemaResolver,
  SchemaWireError,
  Serializer,
} from '@schemawire/core-client';
import type { BytesEncoding } from '../bytes-encoding.js';
import { bytesEncodings, formatBytes } from '../bytes-encoding.js';
import type { CarrierName } from '../carrier-option.js';
import { apicurioIdHelp, carrierHelp, carriers, parseApicurioId, parseCarrier } from '../carrier-option.js';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, oneOf, parseCommandArgs, UsageError } from '../command.js';
import { formatsForUnions, unionsChoices, unionsHelp } from '../formats.js';
import { inputLines, utf8Line } from '../input-lines.js';
import { jsonLine } from '../printable-json.js';
import { RawCodec } from '../raw-codec.js';
import { openRegistry } from '../registry-option.js';
import { readSchemaFile } from '../schema-file.js';
import { withSubjectHint } from '../subject-hint.js';

const options = {
  subject: { type: 'string' },
  version: { type: 'string' },
  carrier: { type: 'string' },
  'apicurio-id': { type: 'string' },
  format: { type: 'string' },
  message: { type: 'string' },
  schema: { type: 'string' },
  raw: { type: 'boolean' },
  unions: { type: 'string' },
} as const;

/** `schemawire encode`: writes JSON values as wire bytes with a subject's schema. */
export const encodeCommand: Command = {
  name: 'encode',
  summary: 'encode JSON values into wire bytes with a registered schema',
  help: `Usage: schemawire encode (--subject S [--version N|latest] | --schema FILE --raw) [--raw] [--message NAME] [--carrier prefix|header|apicurio|key] [--apicurio-id content|global] [--format base64|hex] [--unions unwrapped|avro-json] <json|->

Encodes a JSON value (or, with -, one value per line of stdin) with a version of the subject's schema,
or, with --raw, as a bare body with no schema id anywhere (what producers without a registry write,
and consumers without one read: decode and consume read it back with --schema); --schema FILE --raw
needs no registry.
Integers beyond 2^53 are read with all their digits, as decimal text is for 64-bit fields.
A line that is not UTF-8 or not JSON, or does not fit the schema, stops it with exit 1, naming the line.
With the prefix carrier it prints the wire bytes; with the others {"value","key","headers"}, since the
schema id travels in a header or the key.

Options:
  --subject <S>           subject whose schema encodes the values (this or --schema)
  --version <N|latest>    version of the subject (default latest)
  --schema <file>         with --raw: encode with this schema file (.avsc, .proto, .json)
  --raw                   write the bare body: no Confluent prefix, no header (default off)
  --message <name>        Protobuf message type to write, e.g. pkg.MyMessage (default the file's first)
${carrierHelp}
${apicurioIdHelp}
  --format <format>       base64 (default) or hex
${unionsHelp}

${globalHelp}

Example:
  schemawire encode --subject user-value '{"first_name":"John","last_name":"Doe","age":30}'
  schemawire encode --schema schemas/user.avsc --raw '{"first_name":"John","last_name":"Doe","age":30}'`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const subject = values.subject;
  const raw = values.raw === true;
  if (subject === undefined && values.schema === undefined) {
    throw new UsageError('cannot encode values: --subject is required');
  }
  if (subject !== undefined && values.schema !== undefined) {
    throw new UsageError('cannot encode values: give --subject or --schema, not both');
  }
  if (values.schema !== undefined && !raw) {
    throw new UsageError(
      'cannot encode values: --schema needs --raw; to write a schema id, register the schema and use --subject',
    );
  }
  if (raw && (values.carrier !== undefined || values['apicurio-id'] !== undefined)) {
    throw new UsageError('cannot encode values: --raw writes no schema id, so no --carrier or --apicurio-id');
  }
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) {
    throw new UsageError('cannot encode values: give one JSON value, or - to read one per line of stdin');
  }
  const version = parseVersion(values.version ?? 'latest');
  const carrier = parseCarrier(values.carrier);
  const apicurioId = parseApicurioId(values['apicurio-id'], carrier);
  const encoding = oneOf('format', values.format ?? 'base64', bytesEncodings);
  const unions = oneOf('unions', values.unions ?? 'unwrapped', unionsChoices);

  const formats = formatsForUnions(unions);
  const serializer = await openSerializer(values, io, formats, version, carrier, apicurioId);
  const encode = async (text: string): Promise<void> => {
    const payload = await serializer.serialize(subject ?? '', parseJson(text));
    writeLine(io.stdout, formatPayload(payload, carrier, encoding));
  };

  if (input !== '-') {
    await encode(input);
    return 0;
  }
  let line = 0;
  for await (const bytes of inputLines(io.stdin)) {
    line += 1;
    try {
      const text = utf8Line(bytes);
      if (text.trim() === '') continue;
      await encode(text);
    } catch (error) {
      const code = isSchemaWireError(error) ? error.code : ErrorCode.SerializationFailed;
      const detail = error instanceof Error ? error.message : String(error);
      throw new SchemaWireError(code, `cannot encode line ${line}: ${detail}`, { cause: error });
    }
  }
  return 0;
}

type EncodeValues = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

async function openSerializer(
  values: EncodeValues,
  io: CliIo,
  formats: readonly SchemaFormat[],
  version: number | 'latest',
  carrier: CarrierName,
  apicurioId: ReturnType<typeof parseApicurioId>,
): Promise<PayloadSerializer> {
  const messageName = values.message === undefined ? {} : { messageName: values.message };
  if (values.schema !== undefined) {
    // The registry is asked only for the references of a schema that has some.
    const registry = openRegistry(values, io);
    const schema = await readSchemaFile(values.schema, {}, io);
    const source = `schema file ${JSON.stringify(values.schema)}`;
    return RawCodec.open(schema, source, new SchemaResolver(registry), {
      formats,
      ...messageName,
    });
  }
  const subject = values.subject!;
  const resolver = new SchemaResolver(openRegistry(values, io));
  const { schema } = await withSubjectHint(resolver.registry, subject, () =>
    resolver.version(subject, version),
  );
  if (values.raw === true) {
    const source = `the schema of subject ${JSON.stringify(subject)} version ${schema.version}`;
    return RawCodec.open(schema, source, resolver, { formats, ...messageName });
  }
  return new Serializer({
    registry: resolver,
    formats,
    useSchemaId: schema.id,
    carrier: carriers[carrier],
    ...apicurioId,
    jsonValues: true,
    ...messageName,
  });
}

function parseVersion(text: string): number | 'latest' {
  if (text === 'latest') return text;
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new UsageError(
      `cannot parse arguments: --version must be a version number or "latest", got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

function parseJson(text: string): unknown {
  try {
    // Integers beyond 2^53 come as bigints, not rounded.
    return parseJsonExactly(text);
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `cannot encode value: it is not JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}

function formatPayload(payload: SerializedPayload, carrier: CarrierName, encoding: BytesEncoding): string {
  // A value serializer given a non-null value always answers with bytes.
  const value = formatBytes(payload.bytes!, encoding);
  if (carrier === 'prefix') return value;
  const headers = Object.fromEntries(
    Object.entries(payload.headers ?? {}).map(([name, bytes]) => [name, formatBytes(bytes, encoding)]),
  );
  const key = payload.key === undefined ? null : formatBytes(payload.key, encoding);
  return jsonLine({ value, key, headers });
}
