import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Schema } from '@schemawire/core-client';
import { schemaTypeOfFile } from '@schemawire/core-client';

const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

/** A schema file of the repository's `schemas/` folder, typed by its extension. */
export function exampleSchema(fileName: string): Schema {
  const schemaType = schemaTypeOfFile(fileName);
  if (schemaType === undefined) {
    throw new Error(`cannot read example schema: ${JSON.stringify(fileName)} is not a schema file`);
  }
  return { schemaType, schema: readFileSync(new URL(fileName, SCHEMAS_DIR), 'utf8') };
}

/** The path of a schema file of the repository's `schemas/` folder. */
export function schemaFile(fileName: string): string {
  return fileURLToPath(new URL(fileName, SCHEMAS_DIR));
}

/** The example user schema (`schemas/user.avsc`) with `fields` appended, as Avro schema text. */
export function userSchemaWith(...fields: readonly object[]): string {
  const user = JSON.parse(exampleSchema('user.avsc').schema) as { fields: object[] };
  return JSON.stringify({ ...user, fields: [...user.fields, ...fields] });
}
