import type { Longs, SchemaFormat, SchemaType } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';

/**
 * The schema formats the command line can read and write, decoding 64-bit integers as `longs` says;
 * a new format joins here, in one line.
 */
function formatsFor(longs: Longs): readonly SchemaFormat[] {
  return [avroFormat({ longs }), protobufFormat({ longs }), jsonSchemaFormat({ longs })];
}

/**
 * The schema formats of the command line: 64-bit integers decode as numbers, bigints beyond 2^53,
 * which print as JSON numbers with all their digits.
 */
export const cliFormats: readonly SchemaFormat[] = formatsFor('number-or-bigint');

/** The schema formats of the command line with every 64-bit integer decoded as decimal text. */
export const textLongFormats: readonly SchemaFormat[] = formatsFor('string');

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
