import { posix } from 'node:path';
import type { Longs } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { avroModule } from './avro-types.js';
import { jsonSchemaModule } from './json-schema-types.js';
import { protobufModule } from './protobuf-types.js';
import type { SchemaFile } from './schema-files.js';

/** Options of {@link generateTypes}: those of the formats the generated types must match. */
export interface CodegenOptions {
  /**
   * The `longs` option the formats decode with (see `avroFormat`, `protobufFormat`,
   * `jsonSchemaFormat`); default each format's own default.
   */
  readonly longs?: Longs;
  /** The `fieldNames` option of `protobufFormat`; default `json`. */
  readonly fieldNames?: 'json' | 'proto';
}

/** One generated TypeScript module. */
export interface GeneratedModule {
  /** Its path relative to the output folder: the schema file's, ending in `.ts`. */
  readonly path: string;
  /** The schema file it was generated from. */
  readonly source: string;
  readonly text: string;
}

/** What a format's generator needs to know of the other files. */
export interface CodegenContext {
  readonly options: CodegenOptions;
  readonly files: readonly SchemaFile[];
  /** The import path of the module generated from `target`, as the module of `from` imports it. */
  importPath(from: SchemaFile, target: SchemaFile): string;
}

/**
 * One TypeScript module per schema file: the types of the values its codec decodes and takes, and a
 * schema handle per top-level type that carries them (see `SchemaHandle`). Types a file uses from
 * another file are imported from that file's module. The same files and options give the same text.
 * SCHEMAWIRE_INVALID_SCHEMA when a schema does not parse or names what no file defines.
 */
export function generateTypes(files: readonly SchemaFile[], options: CodegenOptions = {}): GeneratedModule[] {
  const byPath = new Map<string, SchemaFile>();
  for (const file of files) {
    const path = modulePath(file);
    const other = byPath.get(path);
    if (other !== undefined) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot generate types: ${JSON.stringify(other.path)} and ${JSON.stringify(file.path)} would both be ${JSON.stringify(path)}`,
      );
    }
    byPath.set(path, file);
  }
  const context: CodegenContext = {
    options,
    files,
    importPath(from, target) {
      const path = posix.relative(posix.dirname(from.path), modulePath(target)).replace(/\.ts$/, '.js');
      return path.startsWith('.') ? path : `./${path}`;
    },
  };
  return [...byPath.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, file]) => {
      const module =
        file.schemaType === 'AVRO'
          ? avroModule(file, context)
          : file.schemaType === 'PROTOBUF'
            ? protobufModule(file, context)
            : jsonSchemaModule(file, context);
      return { path, source: file.path, text: module.render() };
    });
}

function modulePath(file: SchemaFile): string {
  return `${file.path.replace(/\.[^./]*$/, '')}.ts`;
}
