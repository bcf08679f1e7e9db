import type { SchemaFormat, SchemaType } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';

/** The schema formats the command line can read and write; a new format joins here, in one line. */
export const cliFormats: readonly SchemaFormat[] = [avroFormat(), protobufFormat(), jsonSchemaFormat()];

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
