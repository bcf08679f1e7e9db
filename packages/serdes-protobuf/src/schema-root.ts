import type { RegisteredSchema, ResolvedSchema } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { bundledFile } from './bundled-files.js';
import { isSerializedDescriptor, serializedDescriptorToProto } from './serialized-descriptor.js';

/** A message type of the schema's own file and its Confluent message indexes. */
export interface FileMessage {
  /** The path to the message among the file's message types: top-level index, then nested indexes. */
  readonly indexes: readonly number[];
  readonly type: protobuf.Type;
}

/** A schema parsed with everything it imports into one resolved protobufjs Root. */
export interface SchemaRoot {
  readonly root: protobuf.Root;
  /** The message types of the schema's own file, depth first in declaration order (`[0]` first). */
  readonly messages: readonly FileMessage[];
  /** The .proto text of the schema's own file (a serialized descriptor converted to text). */
  readonly text: string;
  /** The file's package; empty without one. */
  readonly package: string;
  readonly imports: readonly string[];
  readonly weakImports: readonly string[];
  /** The file's top-level declarations (messages, enums, services, extension fields), in order. */
  readonly declarations: readonly protobuf.ReflectionObject[];
  /** The file's options (`option java_package = ...`). */
  readonly options: Readonly<Record<string, unknown>>;
}

const PARSE_OPTIONS: protobuf.IParseOptions = { keepCase: true };

/**
 * Parses the schema into a new Root: its own file first (so the types the Root holds then are the
 * file's message types, in declaration order), then each import, found among the schema's references
 * (by import path), the format's extra files, or the well-known types protobufjs bundles. Throws
 * SCHEMAWIRE_INVALID_SCHEMA when a file does not parse, an import is missing or a type does not
 * resolve.
 */
export function loadSchemaRoot(
  resolved: ResolvedSchema,
  extraFiles: ReadonlyMap<string, string>,
): SchemaRoot {
  const root = new protobuf.Root();
  const text = protoText(resolved.schema.schema, '');
  const parsed = parseInto(root, text, '');
  // Only the file's own declarations are in the Root yet: take them before the imports join them.
  const namespace = parsed.package === '' ? root : root.lookup(parsed.package);
  const declarations = namespace instanceof protobuf.Namespace ? [...namespace.nestedArray] : [];
  const options = namespace instanceof protobuf.Namespace ? { ...namespace.options } : {};
  const messages = fileMessages(declarations);
  const references = new Map(resolved.dependencies.map((dependency) => [dependency.name, dependency]));
  const loaded = new Set<string>();
  const load = (name: string, weak: boolean, importer: string): void => {
    if (loaded.has(name)) return;
    loaded.add(name);
    const reference = references.get(name);
    if (reference !== undefined) {
      const where = `import ${JSON.stringify(name)}${registeredAs(reference.schema)}: `;
      loadImports(parseInto(root, protoText(reference.schema.schema, where), where), name);
      return;
    }
    const extra = extraFiles.get(name);
    if (extra !== undefined) {
      const where = `import ${JSON.stringify(name)} (extra file): `;
      loadImports(parseInto(root, protoText(extra, where), where), name);
      return;
    }
    const bundled = bundledFile(name);
    if (bundled !== undefined) {
      root.addJSON(bundled);
      return;
    }
    if (weak) return;
    throw invalidSchema(
      `${importer === '' ? '' : `${JSON.stringify(importer)}: `}import ${JSON.stringify(name)} is not available: register it and reference it by that name, or give it to the format as an extra file`,
    );
  };
  const loadImports = (parsed: ParsedImports, importer: string): void => {
    for (const name of parsed.imports) load(name, false, importer);
    for (const name of parsed.weakImports) load(name, true, importer);
  };
  loadImports(parsed, '');
  try {
    root.resolveAll();
  } catch (error) {
    throw invalidSchema(messageOf(error), error);
  }
  for (const { type } of messages) {
    for (const field of type.fieldsArray) {
      if (field.declaringField === null && isReservedNumber(type, field.id)) {
        throw invalidSchema(
          `message ${type.fullName.slice(1)}: field ${JSON.stringify(field.name)} uses reserved number ${field.id}`,
        );
      }
    }
  }
  return {
    root,
    messages,
    text,
    package: parsed.package,
    imports: parsed.imports,
    weakImports: parsed.weakImports,
    declarations,
    options,
  };
}

/**
 * Whether a message reserves a field number. The ranges protobufjs parses include their end
 * (`reserved 3;` is [3, 3]), which its own `isReservedId` leaves out.
 */
export function isReservedNumber(type: protobuf.Type, id: number): boolean {
  return (type.reserved ?? []).some(
    (range) => typeof range !== 'string' && range[0]! <= id && id <= range[1]!,
  );
}

/** True for the oneof protobufjs makes for a proto3 `optional` field: it is presence, not a choice. */
export function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  const [only, ...others] = oneof.fieldsArray;
  return others.length === 0 && only?.options?.['proto3_optional'] === true;
}

/** The error of a schema that does not parse or resolve. */
export function invalidSchema(detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.InvalidSchema,
    `cannot parse protobuf schema: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where a referenced file is registered, for messages: ` (subject "address", version 1)`. */
function registeredAs({ subject, version }: RegisteredSchema): string {
  if (subject === undefined) return '';
  return ` (subject ${JSON.stringify(subject)}${version === undefined ? '' : `, version ${version}`})`;
}

interface ParsedImports {
  readonly package: string;
  readonly imports: readonly string[];
  readonly weakImports: readonly string[];
}

/** The .proto text of a registered schema: its text, or the text of a serialized descriptor. */
function protoText(schema: string, where: string): string {
  if (!isSerializedDescriptor(schema)) return schema;
  try {
    return serializedDescriptorToProto(schema);
  } catch (error) {
    if (error instanceof SchemaWireError) throw error;
    throw invalidSchema(`${where}not a serialized file descriptor: ${messageOf(error)}`, error);
  }
}

function parseInto(root: protobuf.Root, text: string, where: string): ParsedImports {
  try {
    const parsed = protobuf.parse(text, root, PARSE_OPTIONS);
    return {
      package: parsed.package ?? '',
      imports: parsed.imports ?? [],
      weakImports: parsed.weakImports ?? [],
    };
  } catch (error) {
    // protobufjs 7.6 reads past the last token of some truncated texts and fails on the null it gets.
    const truncated =
      error instanceof TypeError && error.message.startsWith('Cannot read properties of null');
    throw invalidSchema(
      `${where}${truncated ? 'the text ends inside a declaration' : messageOf(error)}`,
      error,
    );
  }
}

/** The file's message types: top-level ones in declaration order, each followed by its nested ones. */
function fileMessages(declarations: readonly protobuf.ReflectionObject[]): FileMessage[] {
  const messages: FileMessage[] = [];
  const visit = (type: protobuf.Type, indexes: readonly number[]): void => {
    messages.push({ indexes, type });
    let index = 0;
    for (const nested of type.nestedArray) {
      if (nested instanceof protobuf.Type) visit(nested, [...indexes, index++]);
    }
  };
  let index = 0;
  for (const declaration of declarations) {
    if (declaration instanceof protobuf.Type) visit(declaration, [index++]);
  }
  return messages;
}
