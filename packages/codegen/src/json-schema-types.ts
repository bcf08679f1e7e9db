import { posix } from 'node:path';
import { ErrorCode, resolvedSchema, SchemaWireError } from '@schemawire/core-client';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import type { CodegenContext } from './codegen.js';
import type { SchemaFile } from './schema-files.js';
import { asRegistered, dependencyOrder, parseJsonFile } from './schema-files.js';
import { docComment, pascalCase, propertyKey, quote, TypeScriptModule } from './typescript-module.js';

type Json = Record<string, unknown>;

/** The names a JSON Schema file's module gives its root and its definitions. */
interface JsonNames {
  readonly json: unknown;
  readonly root: string;
  /** By JSON pointer (`/definitions/Address`, `/$defs/Address`). */
  readonly definitions: ReadonlyMap<string, string>;
}

const DEFINITION_KEYWORDS = ['definitions', '$defs'] as const;

/**
 * The module of a JSON Schema file: the type of the values it validates, as the JSON Schema format
 * decodes them (one type both ways): objects with their required and optional properties, closed
 * when `additionalProperties` is false, `$ref`s to the file's definitions and to other files'
 * modules, `enum` and `const` as literals, `oneOf` and `anyOf` as unions, `allOf` as an
 * intersection, integers as numbers (bigints, or text with `longs: 'string'`, beyond 2^53; `number`
 * values too, when they are written as integers that large).
 */
export function jsonSchemaModule(file: SchemaFile, context: CodegenContext): TypeScriptModule {
  const jsonFiles = new Map(
    context.files
      .filter((candidate) => candidate.schemaType === 'JSON')
      .map((candidate) => [candidate.path, candidate]),
  );
  const namesCache = new Map<SchemaFile, JsonNames>();
  const namesOf = (of: SchemaFile): JsonNames => {
    const names = namesCache.get(of) ?? jsonNames(of);
    namesCache.set(of, names);
    return names;
  };
  const own = namesOf(file);
  validate(file, (of) => externalRefs(namesOf(of).json), jsonFiles);
  const integer = context.options.longs === 'string' ? 'number | string' : 'number | bigint';
  const module = new TypeScriptModule(file.path, 'JSON', file.text);
  module.reserve(own.root, own.root);
  for (const name of own.definitions.values()) module.reserve(name, name);
  const references = new Set<string>();
  const inlining = new Set<unknown>();

  const refType = (ref: string): string => {
    const hash = ref.indexOf('#');
    const url = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : decodeURIComponent(ref.slice(hash + 1));
    if (url === '') return pointerType(own, pointer, ref);
    const target = jsonFiles.get(posix.join(posix.dirname(file.path), url));
    if (target === undefined) throw invalid(file, `no schema file is its $ref ${JSON.stringify(ref)}`);
    references.add(url);
    const names = namesOf(target);
    const name = pointer === '' ? names.root : names.definitions.get(pointer);
    if (name === undefined)
      throw invalid(
        file,
        `$ref ${JSON.stringify(ref)} names no definition of ${JSON.stringify(target.path)}`,
      );
    module.importType(context.importPath(file, target), name);
    return name;
  };
  const pointerType = (names: JsonNames, pointer: string, ref: string): string => {
    if (pointer === '') return names.root;
    const named = names.definitions.get(pointer);
    if (named !== undefined) return named;
    const target = pointer
      .split('/')
      .slice(1)
      .reduce<unknown>(
        (at, step) =>
          typeof at === 'object' && at !== null
            ? (at as Json)[step.replaceAll('~1', '/').replaceAll('~0', '~')]
            : undefined,
        names.json,
      );
    if (target === undefined) throw invalid(file, `$ref ${JSON.stringify(ref)} points at nothing`);
    if (inlining.has(target)) return 'unknown';
    inlining.add(target);
    const type = typeOf(target, '');
    inlining.delete(target);
    return type;
  };

  const typeOf = (schema: unknown, indent: string): string => {
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'unknown';
    const json = schema as Json;
    if (typeof json['$ref'] === 'string') return refType(json['$ref']);
    if ('const' in json) return literal(json['const']);
    if (Array.isArray(json['enum'])) return json['enum'].map(literal).join(' | ') || 'never';
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = json[keyword];
      if (Array.isArray(branches))
        return branches.map((branch) => parenthesized(typeOf(branch, indent))).join(' | ') || 'never';
    }
    if (Array.isArray(json['allOf'])) {
      return json['allOf'].map((branch) => parenthesized(typeOf(branch, indent))).join(' & ') || 'unknown';
    }
    const types = Array.isArray(json['type'])
      ? json['type']
      : typeof json['type'] === 'string'
        ? [json['type']]
        : [];
    if (types.length === 0) {
      if ('properties' in json || 'additionalProperties' in json || 'required' in json) types.push('object');
      else if ('items' in json) types.push('array');
      else return 'unknown';
    }
    return types
      .map((type) => {
        switch (type) {
          case 'string':
            return 'string';
          // The format reads any number written without a fraction or exponent beyond 2^53 as an
          // integer, whatever the schema says: `number` values can come as one too.
          case 'number':
          case 'integer':
            return integer;
          case 'boolean':
            return 'boolean';
          case 'null':
            return 'null';
          case 'array': {
            const items = json['items'];
            if (items === undefined || Array.isArray(items) || 'prefixItems' in json) return 'unknown[]';
            const item = typeOf(items, indent);
            return `${item.includes(' ') ? `(${item})` : item}[]`;
          }
          case 'object':
            return objectType(json, indent);
          default:
            return 'unknown';
        }
      })
      .join(' | ');
  };
  const objectType = (json: Json, indent: string): string => {
    const inner = `${indent}  `;
    const properties =
      typeof json['properties'] === 'object' && json['properties'] !== null
        ? (json['properties'] as Json)
        : {};
    const required = new Set(Array.isArray(json['required']) ? json['required'] : []);
    const lines: string[] = [];
    const types: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      const type = typeOf(property, inner);
      const optional = !required.has(name);
      types.push(type, ...(optional ? ['undefined'] : []));
      const description =
        typeof property === 'object' && property !== null ? (property as Json)['description'] : undefined;
      lines.push(
        `${docComment(description, inner)}${inner}${propertyKey(name)}${optional ? '?' : ''}: ${type};`,
      );
    }
    const additional = json['additionalProperties'];
    if (additional !== false) {
      const rest =
        additional === undefined || additional === true || 'patternProperties' in json
          ? 'unknown'
          : typeOf(additional, inner);
      // An index signature must take every property's type too.
      const all = rest === 'unknown' ? ['unknown'] : [...new Set([rest, ...types])];
      lines.push(`${inner}[key: string]: ${all.join(' | ')};`);
    }
    return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
  };

  const declare = (name: string, schema: unknown): void => {
    const description =
      typeof schema === 'object' && schema !== null ? (schema as Json)['description'] : undefined;
    const doc =
      docComment(description) ||
      `/** The values of ${JSON.stringify(file.path)}${name === own.root ? '' : ` definition ${name}`}. */\n`;
    const type = typeOf(schema, '');
    module.declare(
      type.startsWith('{')
        ? `${doc}export interface ${name} ${type}`
        : `${doc}export type ${name} = ${type};`,
    );
  };
  declare(own.root, own.json);
  const json = own.json as Json;
  for (const keyword of DEFINITION_KEYWORDS) {
    const definitions = json[keyword];
    if (typeof definitions !== 'object' || definitions === null) continue;
    for (const [key, definition] of Object.entries(definitions)) {
      declare(own.definitions.get(`/${keyword}/${key}`)!, definition);
    }
  }
  module.handle({
    constName: own.root,
    valueType: own.root,
    inputType: own.root,
    typeName: typeNameOf(json, file),
    references: [...references].sort(),
  });
  return module;
}

/**
 * Checks the schema as the JSON Schema format compiles it, with the files its `$ref`s name (under the
 * URLs they are named by), so a schema ajv refuses fails here and not in the first serializer.
 */
function validate(
  file: SchemaFile,
  refsOf: (of: SchemaFile) => readonly string[],
  files: ReadonlyMap<string, SchemaFile>,
): void {
  const names = new Map<SchemaFile, string>();
  const direct = (of: SchemaFile): SchemaFile[] =>
    refsOf(of).flatMap((url) => {
      const target = files.get(posix.join(posix.dirname(of.path), url));
      if (target === undefined) throw invalid(of, `no schema file is its $ref ${JSON.stringify(url)}`);
      if (!names.has(target)) names.set(target, url);
      return [target];
    });
  const dependencies = dependencyOrder(file, direct).map((dependency) => ({
    name: names.get(dependency)!,
    schema: asRegistered(dependency),
  }));
  jsonSchemaFormat().validate(resolvedSchema('JSON', file.text, { dependencies }));
}

/** The URLs (without fragments) of the other files a schema's `$ref`s name. */
function externalRefs(json: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(json)) {
    for (const item of json) externalRefs(item, found);
  } else if (typeof json === 'object' && json !== null) {
    for (const [key, value] of Object.entries(json)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#'))
        found.add(value.split('#')[0]!);
      else externalRefs(value, found);
    }
  }
  return [...found].sort();
}

/** The format's type name: `title`, else `$id`, else the file's name without its extension. */
function typeNameOf(json: Json, file: SchemaFile): string {
  for (const key of ['title', '$id']) {
    const value = json[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return posix.basename(file.path).replace(/\.[^.]*$/, '');
}

function jsonNames(file: SchemaFile): JsonNames {
  const json = parseJsonFile(file);
  const object = typeof json === 'object' && json !== null ? (json as Json) : {};
  const title = typeof object['title'] === 'string' && object['title'] !== '' ? object['title'] : undefined;
  const root = pascalCase(title ?? posix.basename(file.path).replace(/\.[^.]*$/, ''));
  const taken = new Set([root]);
  const definitions = new Map<string, string>();
  for (const keyword of DEFINITION_KEYWORDS) {
    const found = object[keyword];
    if (typeof found !== 'object' || found === null) continue;
    for (const key of Object.keys(found)) {
      let name = pascalCase(key);
      if (taken.has(name)) name = `${root}${name}`;
      for (let i = 2; taken.has(name); i++) name = `${root}${pascalCase(key)}${i}`;
      taken.add(name);
      definitions.set(`/${keyword}/${key}`, name);
    }
  }
  return { json, root, definitions };
}

function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  return value === null || typeof value === 'number' || typeof value === 'boolean'
    ? JSON.stringify(value)
    : 'unknown';
}

function parenthesized(type: string): string {
  return type.includes(' | ') || type.includes(' & ') ? `(${type})` : type;
}

function invalid(file: SchemaFile, detail: string): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.InvalidSchema,
    `cannot generate types of ${JSON.stringify(file.path)}: ${detail}`,
  );
}
