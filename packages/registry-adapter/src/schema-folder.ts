import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type {
  RegisteredSchema,
  Schema,
  SchemaReference,
  SchemaRegistryClient,
} from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  isSchemaWireError,
  SchemaWireError,
  schemaTypeOfFile,
} from '@schemawire/core-client';

/** The file in a schema folder that names subjects and references; it is not a schema itself. */
export const SCHEMA_FOLDER_MANIFEST = 'schemas.json';

/** One schema file a folder registration registered. */
export interface RegisteredSchemaFile {
  /** The file's path. */
  readonly file: string;
  readonly subject: string;
  /** The registered schema; its `version` is always known. */
  readonly schema: RegisteredSchema;
}

/** A reference in the manifest: to a version of a registered subject, or to another file of the folder. */
type ManifestReference =
  | { readonly name: string; readonly subject: string; readonly version: number }
  | { readonly name: string; readonly file: string };

interface ManifestEntry {
  readonly subject?: string;
  readonly references: readonly ManifestReference[];
}

/**
 * Registers every schema file of `dir` (`.avsc`, `.proto`, `.json`; other files are left alone). Each
 * goes under the subject named by the file (`user.avsc` → `user`) unless the folder's manifest
 * (`schemas.json`) names another, with the references the manifest lists. Files are registered
 * references first, otherwise in file name order, so a file's references to other files of the folder
 * point at the versions just registered. Registering a folder twice registers nothing new.
 */
export async function registerSchemaFolder(
  registry: SchemaRegistryClient,
  dir: string,
): Promise<RegisteredSchemaFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch (error) {
    throw folderError('read', dir, (error as Error).message, error);
  }
  const files = names.filter(
    (name) => name !== SCHEMA_FOLDER_MANIFEST && schemaTypeOfFile(name) !== undefined,
  );
  const manifest = names.includes(SCHEMA_FOLDER_MANIFEST)
    ? await readManifest(dir, files)
    : new Map<string, ManifestEntry>();
  const registered = new Map<string, RegisteredSchemaFile>();
  for (const name of registrationOrder(dir, files.sort(), manifest)) {
    const entry = manifest.get(name);
    const file = join(dir, name);
    const subject = entry?.subject ?? basename(name, extname(name));
    const references = (entry?.references ?? []).map((reference): SchemaReference => {
      if (!('file' in reference)) return reference;
      const target = registered.get(reference.file)!;
      return { name: reference.name, subject: target.subject, version: target.schema.version! };
    });
    const schema: Schema = {
      schemaType: schemaTypeOfFile(name)!,
      schema: await readFile(file, 'utf8'),
      ...(references.length === 0 ? {} : { references }),
    };
    registered.set(name, { file, subject, schema: await register(registry, name, subject, schema) });
  }
  return [...registered.values()];
}

async function register(
  registry: SchemaRegistryClient,
  name: string,
  subject: string,
  schema: Schema,
): Promise<RegisteredSchema> {
  try {
    const registered = await registry.register(subject, schema);
    // A Confluent-API registration answers with the id only; references to this file need the version.
    return registered.version === undefined ? await registry.lookup(subject, schema) : registered;
  } catch (error) {
    if (!isSchemaWireError(error)) throw error;
    throw new SchemaWireError(
      error.code,
      `cannot register ${JSON.stringify(name)} as subject ${JSON.stringify(subject)}: ${error.message}`,
      { cause: error, subject, retriable: error.retriable, schemaId: error.schemaId },
    );
  }
}

// Depth first in name order: each file after the files it references, a cycle is an error.
function registrationOrder(
  dir: string,
  files: readonly string[],
  manifest: ReadonlyMap<string, ManifestEntry>,
): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: readonly string[]): void => {
    if (done.has(name)) return;
    if (path.includes(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name].map((n) => JSON.stringify(n)).join(' -> ');
      throw folderError('register', dir, `its references go round in a circle: ${cycle}`);
    }
    for (const reference of manifest.get(name)?.references ?? []) {
      if ('file' in reference) visit(reference.file, [...path, name]);
    }
    done.add(name);
    order.push(name);
  };
  for (const name of files) visit(name, []);
  return order;
}

async function readManifest(dir: string, files: readonly string[]): Promise<Map<string, ManifestEntry>> {
  const path = join(dir, SCHEMA_FOLDER_MANIFEST);
  const fail = (detail: string, cause?: unknown): SchemaWireError =>
    new SchemaWireError(
      ErrorCode.Config,
      `cannot read schema folder manifest ${JSON.stringify(path)}: ${detail}`,
      cause === undefined ? {} : { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw fail((error as Error).message, error);
  }
  if (!isObject(parsed)) throw fail('it must be an object of schema file names');
  const manifest = new Map<string, ManifestEntry>();
  for (const [name, entry] of Object.entries(parsed)) {
    if (!files.includes(name)) throw fail(`${JSON.stringify(name)} is not a schema file of the folder`);
    const at = `entry ${JSON.stringify(name)}`;
    if (!isObject(entry)) throw fail(`${at} must be an object with "subject" and "references"`);
    const unknown = Object.keys(entry).find((key) => key !== 'subject' && key !== 'references');
    if (unknown !== undefined) throw fail(`${at} has an unknown member ${JSON.stringify(unknown)}`);
    const { subject, references = [] } = entry;
    if (subject !== undefined && (typeof subject !== 'string' || subject === '')) {
      throw fail(`${at}: "subject" must be a subject name, not ${describeValue(subject)}`);
    }
    if (!Array.isArray(references)) throw fail(`${at}: "references" must be an array`);
    manifest.set(name, {
      ...(subject === undefined ? {} : { subject }),
      references: references.map((reference: unknown, i) => {
        const checked = checkReference(reference, files);
        if (typeof checked === 'string') throw fail(`${at}: references[${i}] ${checked}`);
        return checked;
      }),
    });
  }
  return manifest;
}

// The reference, or what is wrong with it.
function checkReference(reference: unknown, files: readonly string[]): ManifestReference | string {
  const shape = 'must be {"name", "file"} or {"name", "subject", "version"}';
  if (!isObject(reference) || typeof reference['name'] !== 'string' || reference['name'] === '') return shape;
  const { name, file, subject, version } = reference;
  if (file !== undefined) {
    if (subject !== undefined || version !== undefined || typeof file !== 'string') return shape;
    if (!files.includes(file))
      return `names file ${JSON.stringify(file)}, which is not a schema file of the folder`;
    return { name, file };
  }
  if (typeof subject !== 'string' || subject === '') return shape;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return `needs a "version" of subject ${JSON.stringify(subject)}, a number from 1`;
  }
  return { name, subject, version };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function folderError(verb: string, dir: string, detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.Config,
    `cannot ${verb} schema folder ${JSON.stringify(dir)}: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}
