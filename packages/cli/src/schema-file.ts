import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Schema, SchemaReference, SchemaType } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError, schemaTypeOfFile } from '@schemawire/core-client';
import type { CliIo } from './cli-io.js';
import { oneOf, UsageError } from './command.js';
import { schemaTypesByName } from './formats.js';

/** The options that say how to read a schema file: `--type` and `--reference`. */
export interface SchemaFileOptions {
  readonly type?: string | undefined;
  readonly reference?: readonly string[] | undefined;
}

/** The schema in `file`: its type from --type or the extension, its references from --reference. */
export async function readSchemaFile(file: string, options: SchemaFileOptions, io: CliIo): Promise<Schema> {
  const schemaType = schemaTypeOf(file, options.type);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const detail =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot read schema file ${JSON.stringify(file)}: ${detail}`,
      {
        cause: error,
      },
    );
  }
  return withReferences(schemaType, text, options);
}

/** The schema `text` of the type --type names (required: no file extension tells it), with --reference. */
export function inlineSchema(text: string, options: SchemaFileOptions): Schema {
  if (options.type === undefined) {
    throw new UsageError(
      `cannot read --schema-text: --type ${Object.keys(schemaTypesByName).join('|')} is required with it`,
    );
  }
  return withReferences(schemaTypeOf('--schema-text', options.type), text, options);
}

function withReferences(schemaType: SchemaType, text: string, options: SchemaFileOptions): Schema {
  const references = (options.reference ?? []).map(parseReference);
  return references.length === 0 ? { schemaType, schema: text } : { schemaType, schema: text, references };
}

function schemaTypeOf(file: string, type: string | undefined): SchemaType {
  if (type !== undefined) return schemaTypesByName[oneOf('type', type, Object.keys(schemaTypesByName))]!;
  const byExtension = schemaTypeOfFile(file);
  if (byExtension === undefined) {
    throw new UsageError(
      `cannot read schema file ${JSON.stringify(file)}: its extension does not tell the schema type; use --type ${Object.keys(schemaTypesByName).join('|')}`,
    );
  }
  return byExtension;
}

const REFERENCE = /^([^=]+)=(.+):([1-9][0-9]*)$/;

/** A `name=subject:version` argument as a reference. */
export function parseReference(text: string): SchemaReference {
  const match = REFERENCE.exec(text);
  if (match === null) {
    throw new UsageError(
      `cannot parse arguments: --reference must look like name=subject:version, got ${JSON.stringify(text)}`,
    );
  }
  return { name: match[1]!, subject: match[2]!, version: Number(match[3]) };
}
