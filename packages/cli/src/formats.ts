import type { Longs, SchemaFormat, SchemaType } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { JsonUnions } from '@schemawire/serdes-avro';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';

/**
 * The schema formats the command line can read and write, decoding 64-bit integers as `longs` says;
 * a new format joins here, in one line.
 */
function formatsFor(longs: Longs, jsonUnions: JsonUnions = 'unwrapped'): readonly SchemaFormat[] {
  return [avroFormat({ longs, jsonUnions }), protobufFormat({ longs }), jsonSchemaFormat({ longs })];
}

/**
 * The schema formats of the command line: 64-bit integers decode as numbers, bigints beyond 2^53,
 * which print as JSON numbers with all their digits.
 */
export const cliFormats: readonly SchemaFormat[] = formatsFor('number-or-bigint');

/** The schema formats of the command line with every 64-bit integer decoded as decimal text. */
export const textLongFormats: readonly SchemaFormat[] = formatsFor('string');

/** The schema formats of the command line with Avro unions in JSON as the Avro specification writes them. */
const avroJsonUnionFormats: readonly SchemaFormat[] = formatsFor('number-or-bigint', 'avro-json');

/** How `--unions` writes Avro unions in JSON. */
export const unionsChoices = ['unwrapped', 'avro-json'] as const satisfies readonly JsonUnions[];

/** What --unions says about Avro union values in JSON input. */
export const unionsHelp = `  --unions <form>         how Avro union values are written in the JSON: unwrapped (default: the
                          branch's value alone, "x"; ambiguous unions as {"Branch": value}) or
                          avro-json (Avro's JSON encoding: {"string": "x"}, null as null)`;

/** The formats that read Avro unions in JSON as `--unions` says. */
export function formatsForUnions(unions: (typeof unionsChoices)[number]): readonly SchemaFormat[] {
  return unions === 'avro-json' ? avroJsonUnionFormats : cliFormats;
}

/** How `--longs` prints 64-bit integers. */
export const longsChoices = ['number', 'string'] as const;

/** What --longs says about printed 64-bit integers. */
export const longsHelp = `  --longs <kind>          how 64-bit integers print: number (default: JSON numbers with all their
                          digits, beyond 2^53 too) or string (decimal text, for tools that read JSON
                          numbers as doubles)`;

/** The formats that decode 64-bit integers as `--longs` prints them. */
export function formatsForLongs(longs: (typeof longsChoices)[number]): readonly SchemaFormat[] {
  return longs === 'string' ? textLongFormats : cliFormats;
}

/** The schema type of each `--type` name. */
export const schemaTypesByName: Readonly<Record<string, SchemaType>> = {
  avro: 'AVRO',
  protobuf: 'PROTOBUF',
  json: 'JSON',
};

/** The installed format of `schemaType`, or undefined when the command line has none. */
export function findFormat(schemaType: SchemaType): SchemaFormat | undefined {
  return cliFormats.find((format) => format.schemaType === schemaType);
}

/** The installed format of `schemaType`; SCHEMAWIRE_UNSUPPORTED_SCHEMA_TYPE, starting with `action`, when none is. */
export function requireFormat(schemaType: SchemaType, action: string): SchemaFormat {
  const format = findFormat(schemaType);
  if (format === undefined) {
    throw new SchemaWireError(
      ErrorCode.UnsupportedSchemaType,
      `${action}: no format for ${schemaType} is installed`,
    );
  }
  return format;
}
