import { readFileSync } from 'node:fs';
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
