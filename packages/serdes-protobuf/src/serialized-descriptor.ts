import { Buffer } from 'node:buffer';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { fileDescriptorProtoType } from './bundled-files.js';
import { defaultJsonName } from './json-names.js';

/**
 * Confluent's registry also takes a schema as a base64 `FileDescriptorProto` (its "serialized"
 * format; Confluent's JavaScript serializer registers schemas so). This module turns one into .proto
 * text, so both forms compile, compare and check alike.
 */

interface FieldDescriptor {
  readonly name: string;
  readonly number: number;
  readonly label?: string;
  readonly type?: string;
  readonly typeName?: string;
  readonly extendee?: string;
  readonly defaultValue?: string;
  readonly oneofIndex?: number;
  readonly jsonName?: string;
  readonly proto3Optional?: boolean;
  readonly options?: { readonly packed?: boolean; readonly deprecated?: boolean };
}

interface Range {
  readonly start: number;
  readonly end: number;
}

interface MessageDescriptor {
  readonly name: string;
  readonly field?: readonly FieldDescriptor[];
  readonly extension?: readonly FieldDescriptor[];
  readonly nestedType?: readonly MessageDescriptor[];
  readonly enumType?: readonly EnumDescriptor[];
  readonly extensionRange?: readonly Range[];
  readonly oneofDecl?: readonly { readonly name: string }[];
  readonly options?: { readonly mapEntry?: boolean };
  readonly reservedRange?: readonly Range[];
  readonly reservedName?: readonly string[];
}

interface EnumDescriptor {
  readonly name: string;
  readonly value?: readonly { readonly name: string; readonly number: number }[];
  readonly options?: { readonly allowAlias?: boolean };
  readonly reservedRange?: readonly Range[];
  readonly reservedName?: readonly string[];
}

interface ServiceDescriptor {
  readonly name: string;
  readonly method?: readonly {
    readonly name: string;
    readonly inputType: string;
    readonly outputType: string;
    readonly clientStreaming?: boolean;
    readonly serverStreaming?: boolean;
  }[];
}

interface FileDescriptor {
  readonly package?: string;
  readonly dependency?: readonly string[];
  readonly publicDependency?: readonly number[];
  readonly weakDependency?: readonly number[];
  readonly messageType?: readonly MessageDescriptor[];
  readonly enumType?: readonly EnumDescriptor[];
  readonly service?: readonly ServiceDescriptor[];
  readonly extension?: readonly FieldDescriptor[];
  readonly syntax?: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Descriptor ranges end one past the last number; this end means "to max".
const MAX_FIELD_END = 536870912;

/**
 * True when a registered schema is a serialized descriptor rather than .proto text: .proto text has
 * spaces, quotes or semicolons, base64 has none.
 */
export function isSerializedDescriptor(schema: string): boolean {
  const text = schema.trim();
  return text.length % 4 === 0 && BASE64.test(text);
}

/** The .proto text of a base64 `FileDescriptorProto`; throws when the bytes are not one. */
export function serializedDescriptorToProto(schema: string): string {
  const type = fileDescriptorProtoType();
  const file = type.toObject(type.decode(Buffer.from(schema.trim(), 'base64')), {
    enums: String,
    longs: Number,
  }) as FileDescriptor;
  const syntax = file.syntax === undefined || file.syntax === '' ? 'proto2' : file.syntax;
  if (syntax !== 'proto2' && syntax !== 'proto3') {
    throw unsupported(`syntax ${JSON.stringify(syntax)} is not supported`);
  }
  const out: string[] = [`syntax = "${syntax}";`];
  if (file.package) out.push(`package ${file.package};`);
  (file.dependency ?? []).forEach((name, index) => {
    const kind = file.publicDependency?.includes(index)
      ? 'public '
      : file.weakDependency?.includes(index)
        ? 'weak '
        : '';
    out.push(`import ${kind}${quote(name)};`);
  });
  const context = { proto3: syntax === 'proto3', out };
  for (const message of file.messageType ?? []) writeMessage(context, message, '');
  for (const enumType of file.enumType ?? []) writeEnum(context, enumType, '');
  for (const service of file.service ?? []) writeService(context, service);
  writeExtensions(context, file.extension ?? [], '');
  return `${out.join('\n')}\n`;
}

interface Context {
  readonly proto3: boolean;
  readonly out: string[];
}

function writeMessage(context: Context, message: MessageDescriptor, indent: string): void {
  const { out } = context;
  const inner = `${indent}  `;
  out.push(`${indent}message ${message.name} {`);
  const mapEntries = new Map(
    (message.nestedType ?? [])
      .filter((nested) => nested.options?.mapEntry === true)
      .map((nested) => [nested.name, nested]),
  );
  const fields = message.field ?? [];
  // A oneof only proto3 `optional` fields are in is synthetic: the field is written `optional` instead.
  const realOneofs = new Set(
    fields
      .filter((field) => field.oneofIndex !== undefined && !field.proto3Optional)
      .map((f) => f.oneofIndex),
  );
  for (const field of fields) {
    if (field.oneofIndex !== undefined && realOneofs.has(field.oneofIndex)) continue;
    out.push(`${inner}${fieldLine(context, field, mapEntries, true)}`);
  }
  (message.oneofDecl ?? []).forEach((oneof, index) => {
    if (!realOneofs.has(index)) return;
    out.push(`${inner}oneof ${oneof.name} {`);
    for (const field of fields) {
      if (field.oneofIndex === index) out.push(`${inner}  ${fieldLine(context, field, mapEntries, false)}`);
    }
    out.push(`${inner}}`);
  });
  writeReserved(out, inner, message.reservedRange ?? [], message.reservedName ?? [], true);
  const extensionRanges = message.extensionRange ?? [];
  if (extensionRanges.length > 0) out.push(`${inner}extensions ${ranges(extensionRanges, true)};`);
  for (const nested of message.nestedType ?? []) {
    if (nested.options?.mapEntry !== true) writeMessage(context, nested, inner);
  }
  for (const enumType of message.enumType ?? []) writeEnum(context, enumType, inner);
  writeExtensions(context, message.extension ?? [], inner);
  out.push(`${indent}}`);
}

function fieldLine(
  context: Context,
  field: FieldDescriptor,
  mapEntries: ReadonlyMap<string, MessageDescriptor>,
  labelled: boolean,
): string {
  const entry =
    field.type === 'TYPE_MESSAGE' && field.label === 'LABEL_REPEATED' && field.typeName !== undefined
      ? mapEntries.get(field.typeName.slice(field.typeName.lastIndexOf('.') + 1))
      : undefined;
  let type: string;
  let label = '';
  if (entry !== undefined) {
    const [key, value] = [1, 2].map((number) => entry.field?.find((f) => f.number === number));
    if (key === undefined || value === undefined) {
      throw unsupported(`map entry ${JSON.stringify(entry.name)} lacks its key or value field`);
    }
    type = `map<${typeOf(key)}, ${typeOf(value)}>`;
  } else {
    type = typeOf(field);
    if (labelled) label = labelOf(context, field);
  }
  const options: string[] = [];
  if (field.options?.packed !== undefined) options.push(`packed = ${field.options.packed}`);
  if (field.options?.deprecated === true) options.push('deprecated = true');
  if (field.jsonName !== undefined && field.jsonName !== defaultJsonName(field.name)) {
    options.push(`json_name = ${quote(field.jsonName)}`);
  }
  if (field.defaultValue !== undefined) options.push(`default = ${defaultOf(field)}`);
  const suffix = options.length === 0 ? '' : ` [${options.join(', ')}]`;
  return `${label}${type} ${field.name} = ${field.number}${suffix};`;
}

function labelOf(context: Context, field: FieldDescriptor): string {
  switch (field.label) {
    case 'LABEL_REPEATED':
      return 'repeated ';
    case 'LABEL_REQUIRED':
      return 'required ';
    default:
      return !context.proto3 || field.proto3Optional === true ? 'optional ' : '';
  }
}

function typeOf(field: FieldDescriptor): string {
  switch (field.type) {
    case 'TYPE_MESSAGE':
    case 'TYPE_ENUM':
    case undefined:
      if (field.typeName === undefined) throw unsupported(`field ${JSON.stringify(field.name)} has no type`);
      return field.typeName;
    case 'TYPE_GROUP':
      throw unsupported(`field ${JSON.stringify(field.name)} is a group, which this format does not read`);
    default:
      return field.type.slice('TYPE_'.length).toLowerCase();
  }
}

function defaultOf(field: FieldDescriptor): string {
  const value = field.defaultValue!;
  // The descriptor keeps string defaults unescaped and bytes defaults C-escaped.
  if (field.type === 'TYPE_STRING') return quote(value);
  if (field.type === 'TYPE_BYTES') return `"${value}"`;
  return value;
}

function writeEnum(context: Context, enumType: EnumDescriptor, indent: string): void {
  const { out } = context;
  const inner = `${indent}  `;
  out.push(`${indent}enum ${enumType.name} {`);
  if (enumType.options?.allowAlias === true) out.push(`${inner}option allow_alias = true;`);
  for (const value of enumType.value ?? []) out.push(`${inner}${value.name} = ${value.number};`);
  writeReserved(out, inner, enumType.reservedRange ?? [], enumType.reservedName ?? [], false);
  out.push(`${indent}}`);
}

function writeService(context: Context, service: ServiceDescriptor): void {
  const { out } = context;
  out.push(`service ${service.name} {`);
  for (const method of service.method ?? []) {
    const input = `${method.clientStreaming === true ? 'stream ' : ''}${method.inputType}`;
    const output = `${method.serverStreaming === true ? 'stream ' : ''}${method.outputType}`;
    out.push(`  rpc ${method.name} (${input}) returns (${output});`);
  }
  out.push('}');
}

function writeExtensions(context: Context, extensions: readonly FieldDescriptor[], indent: string): void {
  const byExtendee = new Map<string, FieldDescriptor[]>();
  for (const extension of extensions) {
    const extendee = extension.extendee ?? '';
    byExtendee.set(extendee, [...(byExtendee.get(extendee) ?? []), extension]);
  }
  for (const [extendee, fields] of byExtendee) {
    context.out.push(`${indent}extend ${extendee} {`);
    for (const field of fields) context.out.push(`${indent}  ${fieldLine(context, field, new Map(), true)}`);
    context.out.push(`${indent}}`);
  }
}

function writeReserved(
  out: string[],
  indent: string,
  reservedRanges: readonly Range[],
  names: readonly string[],
  exclusiveEnd: boolean,
): void {
  if (reservedRanges.length > 0) out.push(`${indent}reserved ${ranges(reservedRanges, exclusiveEnd)};`);
  if (names.length > 0) out.push(`${indent}reserved ${names.map(quote).join(', ')};`);
}

// Message ranges end one past their last number, enum ranges on it.
function ranges(list: readonly Range[], exclusiveEnd: boolean): string {
  return list
    .map(({ start, end }) => {
      const last = exclusiveEnd ? end - 1 : end;
      if (exclusiveEnd && end >= MAX_FIELD_END) return `${start} to max`;
      return last === start ? `${start}` : `${start} to ${last}`;
    })
    .join(', ');
}

function unsupported(detail: string): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.InvalidSchema,
    `cannot parse protobuf schema: serialized descriptor: ${detail}`,
  );
}

function quote(text: string): string {
  // protobufjs reads \" in a string as nothing: single quotes keep double ones where they can.
  if (text.includes('"') && !/['\\\n\r\t\0]/.test(text)) return `'${text}'`;
  return `"${text.replace(/[\\"\n\r\t\0]/g, (char) => ESCAPES[char] ?? char)}"`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
};
