import { posix } from 'node:path';
import { ErrorCode, resolvedSchema, SchemaWireError } from '@schemawire/core-client';
import { avroSchemaType } from '@schemawire/serdes-avro';
import type avsc from 'avsc';
import type { CodegenContext } from './codegen.js';
import type { SchemaFile } from './schema-files.js';
import { asRegistered, dependencyOrder, parseJsonFile } from './schema-files.js';
import { docComment, pascalCase, propertyKey, quote, TypeScriptModule } from './typescript-module.js';

type Side = 'value' | 'input';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/**
 * What each built-in logical type decodes to and is written from (serdes-avro's logical-types.ts);
 * a logical type the format does not know is read as its underlying type, which avsc then reports.
 */
const LOGICAL_TYPES: Readonly<Record<string, Readonly<Record<Side, string>>>> = {
  'timestamp-millis': { value: 'Date', input: 'Date | string | number' },
  'timestamp-micros': { value: 'number', input: 'number | Date | string' },
  date: { value: 'Date', input: 'Date | string' },
  uuid: { value: 'string', input: 'string' },
  decimal: { value: 'string', input: 'string | number | bigint' },
};

/** The named types a file defines and the names it uses, as full names (unqualified ones twice). */
interface AvroNames {
  readonly defined: ReadonlySet<string>;
  /** Each name the file uses, with the full name it has in its namespace first. */
  readonly used: readonly (readonly string[])[];
}

/**
 * The module of an Avro schema file: an interface per record (and one for writing, `<Name>Input`,
 * where fields with defaults may be left out: the codec fills them in), a string-literal union per
 * enum, `Buffer` for fixed and bytes, unions as the codec represents them (branch values as they are
 * when the codec can tell the branches apart by value, else objects keyed by the branch name), longs
 * and logical types as the format decodes them.
 */
export function avroModule(file: SchemaFile, context: CodegenContext): TypeScriptModule {
  const avroFiles = context.files.filter((candidate) => candidate.schemaType === 'AVRO');
  const names = new Map(avroFiles.map((candidate) => [candidate, avroNames(candidate)]));
  const owners = new Map<string, SchemaFile>();
  for (const [owner, { defined }] of names) for (const name of defined) owners.set(name, owner);
  const usedFromOthers = (of: SchemaFile): string[] => {
    const own = names.get(of)!;
    const found: string[] = [];
    for (const candidates of own.used) {
      const name = candidates.find((candidate) => own.defined.has(candidate) || owners.has(candidate));
      if (name === undefined) {
        throw new SchemaWireError(
          ErrorCode.InvalidSchema,
          `cannot generate types of ${JSON.stringify(of.path)}: no schema file defines ${JSON.stringify(candidates[0])}`,
        );
      }
      if (!own.defined.has(name) && !found.includes(name)) found.push(name);
    }
    return found.sort();
  };
  const dependencies = dependencyOrder(file, (of) => usedFromOthers(of).map((name) => owners.get(name)!));
  const longs = context.options.longs;
  const top = avroSchemaType(
    resolvedSchema('AVRO', file.text, {
      dependencies: dependencies.map((dependency) => ({
        name: dependency.path,
        schema: asRegistered(dependency),
      })),
    }),
    longs === undefined ? {} : { longs },
  );
  const longValue = { 'number-or-bigint': 'number | bigint', bigint: 'bigint', string: 'string' }[
    longs ?? 'number-or-bigint'
  ];

  const module = new TypeScriptModule(file.path, 'AVRO', file.text);
  const own = names.get(file)!.defined;
  const tsNames = new Map<string, string>();
  const nameOf = (type: avsc.Type): string => {
    const fullName = type.name!;
    let name = tsNames.get(fullName);
    if (name !== undefined) return name;
    const owner = owners.get(fullName);
    if (owner === undefined || owner === file) {
      name = module.reserve(fullName.slice(fullName.lastIndexOf('.') + 1), fullName.replaceAll('.', '_'));
      queue.push(type);
    } else {
      name = fullName.slice(fullName.lastIndexOf('.') + 1);
      module.reserve(name, name);
      const path = context.importPath(file, owner);
      module.importType(path, name);
      if (isRecord(type)) module.importType(path, `${name}Input`);
    }
    tsNames.set(fullName, name);
    return name;
  };
  const queue: avsc.Type[] = [];

  const typeOf = (type: avsc.Type, side: Side): string => {
    const typeName = type.typeName;
    switch (typeName) {
      case 'null':
        return 'null';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'float':
      case 'double':
        return 'number';
      case 'long':
        return side === 'input' ? 'number | bigint | string' : longValue;
      case 'string':
        return 'string';
      case 'bytes':
        return 'Buffer';
      case 'fixed':
      case 'enum':
        return nameOf(type);
      case 'record':
      case 'error':
        return side === 'input' ? `${nameOf(type)}Input` : nameOf(type);
      case 'array': {
        const items = typeOf((type as avsc.types.ArrayType).itemsType, side);
        const element = items.includes(' ') ? `(${items})` : items;
        return side === 'input' ? `readonly ${element}[]` : `${element}[]`;
      }
      case 'map': {
        const values = typeOf((type as avsc.types.MapType).valuesType, side);
        return side === 'input' ? `{ readonly [key: string]: ${values} }` : `{ [key: string]: ${values} }`;
      }
      case 'union:unwrapped':
        return union(branchesOf(type).map((branch) => typeOf(branch, side)));
      case 'union:wrapped':
        return union(
          branchesOf(type).map((branch) =>
            branch.typeName === 'null'
              ? 'null'
              : `{ ${propertyKey(branch.branchName!)}: ${typeOf(branch, side)} }`,
          ),
        );
      default: {
        const logical = typeName.startsWith('logical:')
          ? LOGICAL_TYPES[typeName.slice('logical:'.length)]
          : undefined;
        return logical === undefined ? 'unknown' : logical[side];
      }
    }
  };

  const declare = (type: avsc.Type): void => {
    const name = tsNames.get(type.name!)!;
    const doc = docComment((type as { doc?: unknown }).doc);
    if (type.typeName === 'enum') {
      const symbols = (type as avsc.types.EnumType).symbols.map((symbol) => quote(symbol));
      const about = doc || `/** Avro enum ${JSON.stringify(type.name)}: its symbols. */\n`;
      module.declare(`${about}export type ${name} = ${symbols.join(' | ')};`);
    } else if (type.typeName === 'fixed') {
      const size = (type as avsc.types.FixedType).size;
      module.declare(`${doc || `/** ${size} bytes. */\n`}export type ${name} = Buffer;`);
    } else {
      const fields = (type as avsc.types.RecordType).fields;
      const body = (side: Side): string =>
        fields
          .map((field) => {
            const optional = side === 'input' && field.defaultValue() !== undefined ? '?' : '';
            const fieldDoc = docComment((field as { doc?: unknown }).doc, '  ');
            return `${fieldDoc}  ${propertyKey(field.name)}${optional}: ${typeOf(field.type, side)};`;
          })
          .join('\n');
      const fullName = JSON.stringify(type.name);
      module.declare(
        `${doc || `/** Avro record ${fullName}, as decoded. */\n`}export interface ${name} {\n${body('value')}\n}`,
      );
      module.declare(
        `/** Avro record ${fullName}, as written: fields with a default may be left out. */\nexport interface ${name}Input {\n${body('input')}\n}`,
      );
    }
  };

  const stem = pascalCase(posix.basename(file.path).replace(/\.[^.]*$/, ''));
  let handle: { readonly valueType: string; readonly inputType: string; readonly typeName: string };
  if (top.name !== undefined && NAMED.has(top.typeName)) {
    const name = nameOf(top);
    handle = { valueType: name, inputType: isRecord(top) ? `${name}Input` : name, typeName: top.name };
  } else {
    const name = module.reserve(stem, `${stem}Value`);
    handle = { valueType: name, inputType: `${name}Input`, typeName: stem };
    module.declare(
      `/** The values of ${JSON.stringify(file.path)}, as decoded. */\nexport type ${name} = ${typeOf(top, 'value')};`,
    );
    module.declare(
      `/** The values of ${JSON.stringify(file.path)}, as written. */\nexport type ${name}Input = ${typeOf(top, 'input')};`,
    );
  }
  while (queue.length > 0) declare(queue.shift()!);
  for (const name of own) if (!tsNames.has(name)) throw unreachable(file, name);
  module.handle({ constName: handle.valueType, ...handle, references: usedFromOthers(file) });
  return module;
}

function unreachable(file: SchemaFile, name: string): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.InvalidSchema,
    `cannot generate types of ${JSON.stringify(file.path)}: type ${JSON.stringify(name)} is defined but not reached from the top-level type`,
  );
}

/** The members of a union type, each once: a `long` branch may take text that a `string` branch takes too. */
function union(members: readonly string[]): string {
  return [
    ...new Set(members.flatMap((member) => (member.startsWith('{') ? [member] : member.split(' | ')))),
  ].join(' | ');
}

function isRecord(type: avsc.Type): boolean {
  return type.typeName === 'record' || type.typeName === 'error';
}

function branchesOf(type: avsc.Type): readonly avsc.Type[] {
  return (type as unknown as { readonly types: readonly avsc.Type[] }).types;
}

/** The named types `file` defines and those it uses, read from its JSON as the Avro spec names them. */
function avroNames(file: SchemaFile): AvroNames {
  const defined = new Set<string>();
  const used: string[][] = [];
  const visit = (json: unknown, namespace: string): void => {
    if (typeof json === 'string') {
      if (PRIMITIVES.has(json)) return;
      used.push(json.includes('.') || namespace === '' ? [json] : [`${namespace}.${json}`, json]);
    } else if (Array.isArray(json)) {
      for (const branch of json) visit(branch, namespace);
    } else if (typeof json === 'object' && json !== null) {
      const schema = json as Record<string, unknown>;
      const { type } = schema;
      if (typeof type === 'string' && NAMED.has(type) && typeof schema['name'] === 'string') {
        const name = schema['name'];
        const space = typeof schema['namespace'] === 'string' ? schema['namespace'] : namespace;
        const fullName = name.includes('.') || space === '' ? name : `${space}.${name}`;
        defined.add(fullName);
        const inner = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : '';
        for (const field of Array.isArray(schema['fields']) ? schema['fields'] : []) {
          visit((field as { type?: unknown }).type, inner);
        }
      } else if (type === 'array') {
        visit(schema['items'], namespace);
      } else if (type === 'map') {
        visit(schema['values'], namespace);
      } else {
        visit(type, namespace);
      }
    }
  };
  visit(parseJsonFile(file), '');
  return { defined, used };
}
