import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import type { RegisteredSchema, SchemaType } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError, schemaTypeOfFile } from '@schemawire/core-client';

/** A schema file to generate types from. */
export interface SchemaFile {
  /** Its path relative to the input folder, with `/` separators: imports and `$ref`s are relative to it. */
  readonly path: string;
  readonly schemaType: SchemaType;
  readonly text: string;
}

/**
 * The schema files (`.avsc`, `.proto`, `.json`) among `paths`, folders searched recursively, sorted by
 * path; each path relative to the folder given, or for a file given by name, to its own folder.
 */
export async function readSchemaFiles(paths: readonly string[], cwd: string): Promise<SchemaFile[]> {
  const found: { readonly absolute: string; readonly root: string }[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let isFolder: boolean;
    try {
      isFolder = (await stat(absolute)).isDirectory();
    } catch (error) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot read schema files: ${JSON.stringify(path)} does not exist`,
        {
          cause: error,
        },
      );
    }
    if (!isFolder) {
      found.push({ absolute, root: resolve(absolute, '..') });
      continue;
    }
    for (const entry of await readdir(absolute, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && schemaTypeOfFile(entry.name) !== undefined) {
        found.push({ absolute: join(entry.parentPath, entry.name), root: absolute });
      }
    }
  }
  const files: SchemaFile[] = [];
  for (const { absolute, root } of found) {
    const schemaType = schemaTypeOfFile(absolute);
    if (schemaType === undefined) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot read schema file ${JSON.stringify(absolute)}: its extension is none of .avsc, .proto, .json`,
      );
    }
    const path = relative(root, absolute).split(sep).join(posix.sep);
    files.push({ path, schemaType, text: await readFile(absolute, 'utf8') });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The JSON of a schema file; SCHEMAWIRE_INVALID_SCHEMA naming the file when it is not JSON. */
export function parseJsonFile(file: SchemaFile): unknown {
  try {
    return JSON.parse(file.text);
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.InvalidSchema,
      `cannot parse schema file ${JSON.stringify(file.path)}: invalid json: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * The files `file` needs, directly or through others (`direct` gives each file's own), each once and
 * dependencies first, as the formats load references; `file` itself and cycles are left out.
 */
export function dependencyOrder(
  file: SchemaFile,
  direct: (of: SchemaFile) => readonly SchemaFile[],
): SchemaFile[] {
  const order: SchemaFile[] = [];
  const visit = (of: SchemaFile, path: readonly SchemaFile[]): void => {
    for (const needed of direct(of)) {
      if (path.includes(needed) || order.includes(needed)) continue;
      visit(needed, [...path, needed]);
      order.push(needed);
    }
  };
  visit(file, [file]);
  return order;
}

/** A schema file as a registered schema, to stand as another file's reference. */
export function asRegistered(file: SchemaFile): RegisteredSchema {
  return { id: 0, schemaType: file.schemaType, schema: file.text, references: [] };
}
