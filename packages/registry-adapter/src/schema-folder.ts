import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { RegisteredSchema, SchemaRegistryClient } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError, schemaTypeOfFile } from '@schemawire/core-client';

/** One schema file a folder registration registered. */
export interface RegisteredSchemaFile {
  /** The file's path. */
  readonly file: string;
  readonly subject: string;
  readonly schema: RegisteredSchema;
}

/**
 * Registers every schema file of `dir` (`.avsc`, `.proto`, `.json`; other files are left alone) under
 * the subject named by the file (`user.avsc` → `user`), in file name order. Registering a folder twice
 * registers nothing new.
 */
export async function registerSchemaFolder(
  registry: SchemaRegistryClient,
  dir: string,
): Promise<RegisteredSchemaFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot read schema folder ${JSON.stringify(dir)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const registered: RegisteredSchemaFile[] = [];
  for (const name of names.sort()) {
    const schemaType = schemaTypeOfFile(name);
    if (schemaType === undefined) continue;
    const file = join(dir, name);
    const subject = basename(name, extname(name));
    const schema = await registry.register(subject, { schemaType, schema: await readFile(file, 'utf8') });
    registered.push({ file, subject, schema });
  }
  return registered;
}
