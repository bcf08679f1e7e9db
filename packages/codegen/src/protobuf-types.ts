import { ErrorCode, resolvedSchema, SchemaWireError } from '@schemawire/core-client';
import { protobufSchemaRoot } from '@schemawire/serdes-protobuf';
import protobuf from 'protobufjs';
import type { CodegenContext } from './codegen.js';
import type { SchemaFile } from './schema-files.js';
import { asRegistered, dependencyOrder } from './schema-files.js';
import { docComment, propertyKey, quote, TypeScriptModule } from './typescript-module.js';

type Side = 'value' | 'input';

/** What a .proto file declares, read from it alone. */
interface ProtoFile {
  readonly package: string;
  readonly imports: readonly string[];
  /** Full names (no leading dot) of its messages and enums, nested ones included, in declaration order. */
  readonly declared: readonly string[];
}

const SCALARS: Readonly<Record<string, Readonly<Record<Side, string>>>> = {
  double: { value: 'number', input: 'number' },
  float: { value: 'number', input: 'number' },
  int32: { value: 'number', input: 'number' },
  uint32: { value: 'number', input: 'number' },
  sint32: { value: 'number', input: 'number' },
  fixed32: { value: 'number', input: 'number' },
  sfixed32: { value: 'number', input: 'number' },
  bool: { value: 'boolean', input: 'boolean' },
  string: { value: 'string', input: 'string' },
  // The format decodes bytes as base64 text (the proto3 JSON mapping) and writes text or bytes.
  bytes: { value: 'string', input: 'string | Uint8Array' },
};
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/**
 * The module of a .proto file, typed as the Protobuf format decodes with its default `toObject`
 * options: a type per message (and `<Name>Input` for writing, where every field may be left out),
 * fields under their JSON names, every field present but proto3 `optional` ones and oneof members,
 * unset message fields `null`, enums by name (or number, for a value the schema does not name), bytes
 * as base64, 64-bit integers as `longs` says, each oneof a union keyed by its set member's name.
 * Types imported from the other files are imported from their modules; well-known types are declared
 * in the module that uses them.
 */
export function protobufModule(file: SchemaFile, context: CodegenContext): TypeScriptModule {
  const protoFiles = context.files.filter((candidate) => candidate.schemaType === 'PROTOBUF');
  const parsed = new Map(protoFiles.map((candidate) => [candidate, parseProtoFile(candidate)]));
  const byPath = new Map(protoFiles.map((candidate) => [candidate.path, candidate]));
  const owners = new Map<string, SchemaFile>();
  for (const [owner, { declared }] of parsed) for (const name of declared) owners.set(name, owner);
  const importsOf = (of: SchemaFile): SchemaFile[] =>
    parsed.get(of)!.imports.flatMap((path) => {
      const imported = byPath.get(path);
      if (imported !== undefined) return [imported];
      if (path.startsWith('google/protobuf/')) return [];
      throw new SchemaWireError(
        ErrorCode.InvalidSchema,
        `cannot generate types of ${JSON.stringify(of.path)}: no schema file is its import ${JSON.stringify(path)}`,
      );
    });
  const dependencies = dependencyOrder(file, importsOf);
  const fieldNames = context.options.fieldNames;
  const { root, messages } = protobufSchemaRoot(
    resolvedSchema('PROTOBUF', file.text, {
      dependencies: dependencies.map((dependency) => ({
        name: dependency.path,
        schema: asRegistered(dependency),
      })),
    }),
    fieldNames === undefined ? {} : { fieldNames },
  );
  const longs = context.options.longs;
  const longValue = { 'number-or-bigint': 'number | bigint', bigint: 'bigint', string: 'string' }[
    longs ?? 'string'
  ];

  const module = new TypeScriptModule(file.path, 'PROTOBUF', file.text);
  const tsNames = new Map<string, string>();
  const queue: (protobuf.Type | protobuf.Enum)[] = [];
  const nameOf = (type: protobuf.Type | protobuf.Enum): string => {
    const fullName = type.fullName.slice(1);
    let name = tsNames.get(fullName);
    if (name !== undefined) return name;
    const owner = owners.get(fullName);
    if (owner === undefined) {
      // A well-known type: declared here, under its own name unless one of the file's takes it.
      name = module.reserve(type.name, fullName.replaceAll('.', '_'));
      queue.push(type);
    } else {
      name = relativeName(fullName, parsed.get(owner)!.package);
      if (owner !== file) {
        module.reserve(name, name);
        const path = context.importPath(file, owner);
        module.importType(path, name);
        if (type instanceof protobuf.Type) module.importType(path, `${name}Input`);
      }
    }
    tsNames.set(fullName, name);
    return name;
  };

  const elementOf = (field: protobuf.Field, side: Side): string => {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) return `${nameOf(resolved)} | number`;
    if (resolved instanceof protobuf.Type)
      return side === 'input' ? `${nameOf(resolved)}Input` : nameOf(resolved);
    if (LONGS.has(field.type)) return side === 'input' ? 'number | bigint | string' : longValue;
    return SCALARS[field.type]?.[side] ?? 'unknown';
  };
  const fieldType = (field: protobuf.Field, side: Side): string => {
    const element = elementOf(field, side);
    if (field.map)
      return side === 'input' ? `{ readonly [key: string]: ${element} }` : `{ [key: string]: ${element} }`;
    if (field.repeated) {
      const item = element.includes(' ') ? `(${element})` : element;
      return side === 'input' ? `readonly ${item}[]` : `${item}[]`;
    }
    return field.resolvedType instanceof protobuf.Type ? `${element} | null` : element;
  };
  const fieldLine = (field: protobuf.Field, side: Side, optional: boolean): string =>
    `${docComment(field.comment, '  ')}  ${propertyKey(field.name)}${optional ? '?' : ''}: ${fieldType(field, side)};`;

  const declareMessage = (type: protobuf.Type): void => {
    const name = tsNames.get(type.fullName.slice(1))!;
    const fullName = JSON.stringify(type.fullName.slice(1));
    const oneofs = type.oneofsArray.filter((oneof) => !isSynthetic(oneof));
    const body = (side: Side): string => {
      const lines = type.fieldsArray
        .filter((field) => field.partOf === null || isSynthetic(field.partOf))
        .map((field) => fieldLine(field, side, side === 'input' || field.partOf !== null));
      return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n}`;
    };
    const unions = (side: Side): string[] =>
      oneofs.map((oneof) => {
        const key = propertyKey(oneof.name);
        const members = oneof.fieldsArray;
        const unset = [`${key}?: never`, ...members.map((member) => `${propertyKey(member.name)}?: never`)];
        const set = members.map((member) => {
          const others = members
            .filter((other) => other !== member)
            .map((other) => `${propertyKey(other.name)}?: never`);
          const discriminator = `${key}${side === 'input' ? '?' : ''}: ${quote(member.name)}`;
          const value =
            side === 'input' && member.resolvedType instanceof protobuf.Type
              ? fieldType(member, side)
              : elementOf(member, side);
          return [discriminator, `${propertyKey(member.name)}: ${value}`, ...others];
        });
        return `(\n${[unset, ...set].map((branch) => `  | { ${branch.join('; ')} }`).join('\n')}\n)`;
      });
    const declaration = (side: Side, typeName: string, doc: string): string =>
      oneofs.length === 0
        ? `${doc}export interface ${typeName} ${body(side)}`
        : `${doc}export type ${typeName} = ${[body(side), ...unions(side)].join(' & ')};`;
    module.declare(
      declaration(
        'value',
        name,
        docComment(type.comment) || `/** Protobuf message ${fullName}, as decoded. */\n`,
      ),
    );
    module.declare(
      declaration(
        'input',
        `${name}Input`,
        `/** Protobuf message ${fullName}, as written: every field may be left out. */\n`,
      ),
    );
  };
  const declareEnum = (type: protobuf.Enum): void => {
    const name = tsNames.get(type.fullName.slice(1))!;
    const symbols = Object.keys(type.values).map((symbol) => quote(symbol));
    const doc =
      docComment(type.comment) ||
      `/** Protobuf enum ${JSON.stringify(type.fullName.slice(1))}: its value names. */\n`;
    module.declare(`${doc}export type ${name} = ${symbols.join(' | ') || 'never'};`);
  };
  const declare = (type: protobuf.Type | protobuf.Enum): void =>
    type instanceof protobuf.Type ? declareMessage(type) : declareEnum(type);

  for (const fullName of parsed.get(file)!.declared) {
    const type = root.lookup(fullName);
    if (!(type instanceof protobuf.Type || type instanceof protobuf.Enum)) continue;
    nameOf(type);
    declare(type);
    // Field types are named while the message is declared, so well-known types queue up behind it.
    while (queue.length > 0) declare(queue.shift()!);
  }
  const references = importsOf(file).map((imported) => imported.path);
  for (const message of messages) {
    if (message.parent instanceof protobuf.Type) continue;
    const name = nameOf(message);
    const typeName = message.fullName.slice(1);
    module.handle({
      constName: name,
      valueType: name,
      inputType: `${name}Input`,
      typeName,
      messageName: typeName,
      references,
    });
  }
  return module;
}

/** A proto3 `optional` field's oneof, which only gives the field presence. */
function isSynthetic(oneof: protobuf.OneOf): boolean {
  return oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]!.options?.['proto3_optional'] === true;
}

/** The TypeScript name of a type declared in a file of `packageName`: its path below the package, joined by `_`. */
function relativeName(fullName: string, packageName: string): string {
  const inPackage =
    packageName !== '' && fullName.startsWith(`${packageName}.`)
      ? fullName.slice(packageName.length + 1)
      : fullName;
  return inPackage.replaceAll('.', '_');
}

function parseProtoFile(file: SchemaFile): ProtoFile {
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(file.text, { keepCase: true });
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.InvalidSchema,
      `cannot parse protobuf schema ${JSON.stringify(file.path)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const declared: string[] = [];
  const visit = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum)
        declared.push(nested.fullName.slice(1));
      if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(parsed.root);
  return {
    package: parsed.package ?? '',
    imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
    declared,
  };
}
