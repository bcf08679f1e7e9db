import type { SerializedPayload } from '@schemawire/core-client';
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
import { openRegistry } from '../registry-option.js';

const options = {
  subject: { type: 'string' },
  version: { type: 'string' },
  carrier: { type: 'string' },
  'apicurio-id': { type: 'string' },
  format: { type: 'string' },
  message: { type: 'string' },
  unions: { type: 'string' },
} as const;

/** `schemawire encode`: writes JSON values as wire bytes with a subject's schema. */
export const encodeCommand: Command = {
  name: 'encode',
  summary: 'encode JSON values into wire bytes with a registered schema',
  help: `Usage: schemawire encode --subject S [--version N|latest] [--message NAME] [--carrier prefix|header|apicurio|key] [--apicurio-id content|global] [--format base64|hex] [--unions unwrapped|avro-json] <json|->

Encodes a JSON value (or, with -, one value per line of stdin) with a version of the subject's schema.
Integers beyond 2^53 are read with all their digits, as decimal text is for 64-bit fields. Values are
read in their format's JSON form, as decode prints them (Avro dates as "YYYY-MM-DD", bytes as base64).
A field the Avro schema does not have stops it, naming the field.
A line that is not UTF-8 or not JSON, or does not fit the schema, stops it with exit 1, naming the line.
With the prefix carrier it prints the wire bytes; with the others {"value","key","headers"}, since the
schema id travels in a header or the key.

Options:
  --subject <S>           subject whose schema encodes the values (required)
  --version <N|latest>    version of the subject (default latest)
  --message <name>        Protobuf message type to write, e.g. pkg.MyMessage (default the file's first)
${carrierHelp}
${apicurioIdHelp}
  --format <format>       base64 (default) or hex
${unionsHelp}

${globalHelp}

Example:
  schemawire encode --subject user-value '{"first_name":"John","last_name":"Doe","age":30}'`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const subject = values.subject;
  if (subject === undefined) throw new UsageError('cannot encode values: --subject is required');
  const input = positionals[0];
  if (input === undefined || positionals.length > 1) {
    throw new UsageError('cannot encode values: give one JSON value, or - to read one per line of stdin');
  }
  const version = parseVersion(values.version ?? 'latest');
  const carrier = parseCarrier(values.carrier);
  const apicurioId = parseApicurioId(values['apicurio-id'], carrier);
  const encoding = oneOf('format', values.format ?? 'base64', bytesEncodings);
  const unions = oneOf('unions', values.unions ?? 'unwrapped', unionsChoices);

  const resolver = new SchemaResolver(openRegistry(values, io));
  const { schema } = await resolver.version(subject, version);
  const serializer = new Serializer({
    registry: resolver,
    formats: formatsForUnions(unions),
    useSchemaId: schema.id,
    carrier: carriers[carrier],
    ...apicurioId,
    jsonValues: true,
    ...(values.message === undefined ? {} : { messageName: values.message }),
  });
  const encode = async (text: string): Promise<void> => {
    const payload = await serializer.serialize(subject, parseJson(text));
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
