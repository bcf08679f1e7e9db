import protobuf from 'protobufjs';
import { defaultJsonName } from './json-names.js';
import type { SchemaRoot } from './schema-root.js';
import { invalidSchema, isSyntheticOneof } from './schema-root.js';

/**
 * The tokens of .proto text joined by single spaces, without comments: whitespace and comments do
 * not change a schema. String literals keep their escapes, and are double-quoted where that changes
 * nothing else. (protobufjs's tokenizer unescapes strings lossily: it reads `"a\"b"` as `ab`.)
 */
export function canonicalProtoText(text: string): string {
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (WHITESPACE.test(char)) {
      at++;
    } else if (text.startsWith('//', at)) {
      const end = text.indexOf('\n', at);
      at = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', at)) {
      const end = text.indexOf('*/', at + 2);
      if (end < 0) throw invalidSchema('illegal comment: it never ends');
      at = end + 2;
    } else if (char === '"' || char === "'") {
      let end = at + 1;
      while (end < text.length && text[end] !== char && text[end] !== '\n') end += text[end] === '\\' ? 2 : 1;
      if (text[end] !== char)
        throw invalidSchema(`illegal string: it never ends (${JSON.stringify(text.slice(at, at + 20))})`);
      const content = text.slice(at + 1, end);
      // 'a' is "a": quotes are re-chosen where no escape or inner quote depends on them.
      tokens.push(char === "'" && !/["\\]/.test(content) ? `"${content}"` : text.slice(at, end + 1));
      at = end + 1;
    } else if (DELIMITER.test(char)) {
      tokens.push(char);
      at++;
    } else {
      let end = at + 1;
      while (end < text.length && !TOKEN_END.test(text[end]!)) end++;
      tokens.push(text.slice(at, end));
      at = end;
    }
  }
  return tokens.join(' ');
}

const WHITESPACE = /\s/;
// protobufjs's token delimiters; quotes start strings, handled apart.
const DELIMITER = /[{}=;:[\],()<>]/;
// What ends a word (a name, a number): a delimiter, whitespace, a string or a comment.
const TOKEN_END = /[\s{}=;:[\],()<>"'/]/;

/**
 * The registry's stronger normal form of a schema: its declarations as JSON with type references
 * fully qualified, fields in number order, imports, options, reserved ranges and services sorted,
 * and packed-ness and JSON names as they take effect, whether spelled out or by default. Messages and
 * enums keep their order, since message indexes depend on it.
 */
export function normalizedProto(schema: SchemaRoot): string {
  const messages: unknown[] = [];
  const enums: unknown[] = [];
  const services: Named[] = [];
  const extensions: NormalField[] = [];
  for (const declaration of schema.declarations) {
    if (declaration instanceof protobuf.Type) messages.push(normalMessage(declaration));
    else if (declaration instanceof protobuf.Enum) enums.push(normalEnum(declaration));
    else if (declaration instanceof protobuf.Service) services.push(normalService(declaration));
    else if (declaration instanceof protobuf.Field) extensions.push(normalField(declaration));
  }
  return JSON.stringify({
    syntax: syntaxOf(schema.text),
    package: schema.package,
    imports: [...schema.imports].sort(),
    weakImports: [...schema.weakImports].sort(),
    options: sortedOptions(schema.options),
    messages,
    enums,
    services: services.sort((a, b) => compare(a.name, b.name)),
    extensions: extensions.sort(byExtendeeAndNumber),
  });
}

/** A field in normal form: what it is on the wire and in JSON, its options sorted. */
interface NormalField {
  readonly name: string;
  readonly id: number;
  /** The full name of the message an extension field extends. */
  readonly extend?: string;
  readonly [property: string]: unknown;
}

function normalMessage(type: protobuf.Type): unknown {
  const nestedMessages: unknown[] = [];
  const nestedEnums: unknown[] = [];
  const nestedExtensions: NormalField[] = [];
  for (const nested of type.nestedArray) {
    if (nested instanceof protobuf.Type) nestedMessages.push(normalMessage(nested));
    else if (nested instanceof protobuf.Enum) nestedEnums.push(normalEnum(nested));
    else if (nested instanceof protobuf.Field) nestedExtensions.push(normalField(nested));
  }
  return {
    name: type.name,
    options: sortedOptions(type.options),
    // Extension fields declared elsewhere show in fieldsArray under their full name; they are not ours.
    fields: type.fieldsArray
      .filter((field) => field.declaringField === null)
      .map(normalField)
      .sort((a, b) => a.id - b.id),
    oneofs: type.oneofsArray
      .filter((oneof) => !isSyntheticOneof(oneof))
      .map((oneof) => ({
        name: oneof.name,
        fields: [...oneof.fieldsArray.map((field) => field.id)].sort((a, b) => a - b),
      }))
      .sort((a, b) => compare(a.name, b.name)),
    reserved: normalReserved(type.reserved),
    extensions: [...(type.extensions ?? [])].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
    messages: nestedMessages,
    enums: nestedEnums,
    extendFields: nestedExtensions.sort(byExtendeeAndNumber),
  };
}

function normalField(field: protobuf.Field): NormalField {
  const { json_name: jsonName, packed: _packed, ...options } = field.options ?? {};
  const resolved = field.resolvedType;
  return {
    name: field.name,
    id: field.id,
    ...(field.extend === undefined ? {} : { extend: field.extensionField?.parent?.fullName ?? field.extend }),
    rule: field.map ? 'map' : field.repeated ? 'repeated' : field.required ? 'required' : 'singular',
    ...(field.repeated || field.map ? {} : { presence: field.hasPresence }),
    ...(field instanceof protobuf.MapField ? { keyType: field.keyType } : {}),
    type: resolved === null ? field.type : resolved.fullName,
    jsonName: typeof jsonName === 'string' ? jsonName : defaultJsonName(field.name),
    ...(field.repeated && resolved === null ? { packed: field.packed } : {}),
    options: sortedOptions(options),
  };
}

function byExtendeeAndNumber(a: NormalField, b: NormalField): number {
  return compare(a.extend ?? '', b.extend ?? '') || a.id - b.id;
}

function normalEnum(enumType: protobuf.Enum): unknown {
  return {
    name: enumType.name,
    options: sortedOptions(enumType.options),
    values: Object.entries(enumType.values)
      .map(([name, id]) => [id, name, sortedOptions(enumType.valuesOptions?.[name])] as const)
      .sort((a, b) => a[0] - b[0] || compare(a[1], b[1])),
    reserved: normalReserved(enumType.reserved),
  };
}

/** A declaration in normal form, sorted by its name where order does not matter. */
interface Named {
  readonly name: string;
  readonly [property: string]: unknown;
}

function normalService(service: protobuf.Service): Named {
  return {
    name: service.name,
    options: sortedOptions(service.options),
    methods: service.methodsArray
      .map((method) => ({
        name: method.name,
        request: method.resolvedRequestType?.fullName ?? method.requestType,
        requestStream: method.requestStream === true,
        response: method.resolvedResponseType?.fullName ?? method.responseType,
        responseStream: method.responseStream === true,
        options: sortedOptions(method.options),
      }))
      .sort((a, b) => compare(a.name, b.name)),
  };
}

function normalReserved(reserved: (number[] | string)[] | undefined): unknown {
  const ranges = (reserved ?? [])
    .filter((item): item is number[] => typeof item !== 'string')
    .map((range) => [range[0], range[1]])
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
  const names = (reserved ?? []).filter((item): item is string => typeof item === 'string').sort();
  return { ranges, names };
}

function sortedOptions(options: Readonly<Record<string, unknown>> | undefined): unknown {
  if (options === undefined) return [];
  return Object.keys(options)
    .sort()
    .map((key) => [key, options[key]]);
}

/** The file's syntax or edition, from its first statement; proto2 when it names none. */
function syntaxOf(text: string): string {
  const tokenizer = protobuf.tokenize(text, false);
  const first = tokenizer.next();
  if (first !== 'syntax' && first !== 'edition') return 'proto2';
  tokenizer.next(); // =
  tokenizer.next(); // opening quote
  const value = tokenizer.next() ?? '';
  return first === 'syntax' ? value : `edition ${value}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
