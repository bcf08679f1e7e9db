import type { Longs } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { jsonNameOf } from './json-names.js';
import type { LongConverter } from './long-values.js';
import { jsonLongConverter, mapKeyText } from './long-values.js';
import { preparePlainMessage } from './plain-message.js';
import {
  durationText,
  fieldMaskPaths,
  fieldMaskText,
  JsonMisfit,
  misfit,
  readDuration,
  readTimestamp,
  timestampText,
} from './well-known-text.js';

/**
 * The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/), both ways, on protobufjs
 * reflection. Printing walks a message instance that protobufjs decoded from bytes, so presence is
 * the wire's: fields without presence that hold their default are left out, and so are unset ones.
 * Reading turns the mapping's forms of the well-known types and of Any into the objects
 * {@link preparePlainMessage} takes, and leaves every other value to its checks (field names, enum
 * names and numbers, 64-bit integers as text or numbers, base64, "NaN"), so one place refuses what
 * does not fit and names the field.
 */

/** A decoded protobufjs message: its fields by .proto name, set ones as own properties. */
type Message = Record<string, unknown>;

/** The `long` package's Long, which protobufjs's types leave as a bare constructor. */
const Long = protobuf.util.Long as unknown as { fromNumber(value: number, unsigned: boolean): protobuf.Long };
const PROTOBUF = '.google.protobuf.';
const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (name) => `${PROTOBUF}${name}Value`,
  ),
);
/** The well-known types whose JSON is not an object of their fields: an Any holds them as "value". */
const SPECIAL = new Set([
  ...WRAPPERS,
  ...['Timestamp', 'Duration', 'Struct', 'Value', 'ListValue', 'FieldMask', 'Any'].map(
    (name) => `${PROTOBUF}${name}`,
  ),
]);
const NULL_VALUE = `${PROTOBUF}NullValue`;
const VALUE = `${PROTOBUF}Value`;

/**
 * The proto3 JSON form of a message instance of `type` decoded from bytes: JSON field names, enums
 * by name, bytes as base64, "NaN" and "Infinity" as text, the well-known types in their own forms,
 * and 64-bit integers as `longs` has them (decimal text, or numbers and bigints for exact printing).
 * Throws SCHEMAWIRE_DESERIALIZATION_FAILED for what the mapping cannot print (a Timestamp out of
 * range, an Any of a type the schema does not define).
 */
export function messageToJson(type: protobuf.Type, message: Message, longs: Longs): unknown {
  try {
    return printMessage(type, message, { longs: jsonLongConverter(longs) }, '');
  } catch (error) {
    if (!(error instanceof JsonMisfit)) throw error;
    throw new SchemaWireError(
      ErrorCode.DeserializationFailed,
      `cannot print value as json: ${error.message}`,
    );
  }
}

/**
 * The value `encode` takes for the proto3 JSON form of a message of `type`: what the well-known
 * types and Any spell in JSON becomes their fields (an Any's message encoded into its bytes), and
 * null a field left out. Throws SCHEMAWIRE_SERIALIZATION_FAILED, naming the field, for a
 * well-known type's text that does not parse or is out of range.
 */
export function messageFromJson(type: protobuf.Type, json: unknown): unknown {
  try {
    return readMessage(type, json, '');
  } catch (error) {
    if (!(error instanceof JsonMisfit)) throw error;
    throw new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${error.message}`);
  }
}

interface PrintContext {
  readonly longs: LongConverter;
}

/** A field of a message and its JSON name. */
interface NamedField {
  readonly field: protobuf.Field;
  readonly jsonName: string;
}

const namedFields = new WeakMap<protobuf.Type, readonly NamedField[]>();
const fieldsByKey = new WeakMap<protobuf.Type, ReadonlyMap<string, protobuf.Field>>();

function fieldsOf(type: protobuf.Type): readonly NamedField[] {
  let fields = namedFields.get(type);
  if (fields === undefined) {
    fields = type.fieldsArray.map((field) => ({ field, jsonName: jsonNameOf(field.name, field.options) }));
    namedFields.set(type, fields);
  }
  return fields;
}

/** A message's fields by every key a JSON object may name them with: the JSON name and the .proto name. */
function fieldByKey(type: protobuf.Type, key: string): protobuf.Field | undefined {
  let byKey = fieldsByKey.get(type);
  if (byKey === undefined) {
    const keys = new Map<string, protobuf.Field>();
    for (const { field, jsonName } of fieldsOf(type)) {
      keys.set(field.name, field);
      if (!keys.has(jsonName)) keys.set(jsonName, field);
    }
    byKey = keys;
    fieldsByKey.set(type, byKey);
  }
  return byKey.get(key);
}

/** The field of a well-known type with number `id`, whatever the copy of its file names it. */
function fieldNumbered(type: protobuf.Type, id: number): protobuf.Field {
  const field = type.fieldsById[id];
  if (field === undefined) throw new JsonMisfit(`message ${nameOf(type)} has no field ${id}`);
  return field;
}

function nameOf(type: protobuf.ReflectionObject): string {
  return type.fullName.slice(1);
}

function pathTo(path: string, step: string): string {
  return path === '' || step.startsWith('[') ? path + step : `${path}.${step}`;
}

// ---- printing -------------------------------------------------------------------------------

function printMessage(type: protobuf.Type, message: Message, context: PrintContext, path: string): unknown {
  if (SPECIAL.has(type.fullName)) return printSpecial(type, message, context, path);
  const out: Record<string, unknown> = {};
  for (const { field, jsonName } of fieldsOf(type)) {
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    if (value == null) continue;
    const at = pathTo(path, field.name);
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      const map: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        const text = mapKeyText((field as unknown as protobuf.MapField).keyType, key);
        defineEntry(map, text, printSingle(field, item, context, pathTo(at, `[${text}]`)));
      }
      out[jsonName] = map;
    } else if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      out[jsonName] = items.map((item, i) => printSingle(field, item, context, pathTo(at, `[${i}]`)));
    } else {
      // A field without presence is on the wire only when set; protobufjs reads back a zero a writer
      // wrote anyway, which the mapping leaves out.
      if (!field.hasPresence && !(field.resolvedType instanceof protobuf.Type) && isZero(value)) continue;
      out[jsonName] = printSingle(field, value, context, at);
    }
  }
  return out;
}

function printSingle(field: protobuf.Field, value: unknown, context: PrintContext, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return printMessage(resolved, value as Message, context, path);
  if (resolved instanceof protobuf.Enum) {
    if (resolved.fullName === NULL_VALUE) return null;
    // An open enum keeps numbers it has no name for.
    return resolved.valuesById[value as number] ?? value;
  }
  return printScalar(field.type, value, context);
}

function printScalar(typeName: string, value: unknown, context: PrintContext): unknown {
  switch (typeName) {
    case 'double':
    case 'float':
      return Number.isFinite(value) ? value : String(value);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return context.longs(asLong(value, typeName === 'uint64' || typeName === 'fixed64'));
    case 'bytes':
      return bytesOf(value).toString('base64');
    default:
      return value;
  }
}

/** A Long of what protobufjs decoded for a 64-bit field (a Long, or a number without long.js). */
function asLong(value: unknown, unsigned: boolean): protobuf.Long {
  return typeof value === 'number' ? Long.fromNumber(value, unsigned) : (value as protobuf.Long);
}

function bytesOf(value: unknown): Buffer {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Whether a decoded value is its type's zero: 0, false, empty text or bytes, a zero Long. */
function isZero(value: unknown): boolean {
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Uint8Array) return value.length === 0;
    const { low, high } = value as { low?: unknown; high?: unknown };
    return low === 0 && high === 0;
  }
  // -0 too, as the encoder has it; NaN is no zero.
  return typeof value === 'number' ? value === 0 : !value;
}

/** Sets a key of a fresh object; `__proto__` is an entry like any other. */
function defineEntry(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true });
  else object[key] = value;
}

/** The value of a well-known type's field; undefined where it is not set. */
function fieldValue(message: Message, field: protobuf.Field): unknown {
  return Object.hasOwn(message, field.name) ? message[field.name] : undefined;
}

function bigintOf(value: unknown, unsigned: boolean): bigint {
  return value === undefined ? 0n : BigInt(asLong(value, unsigned).toString());
}

function printSpecial(type: protobuf.Type, message: Message, context: PrintContext, path: string): unknown {
  const name = type.fullName.slice(PROTOBUF.length);
  if (WRAPPERS.has(type.fullName)) {
    const field = fieldNumbered(type, 1);
    const value = fieldValue(message, field);
    return printScalar(field.type, value ?? zeroOf(field.type), context);
  }
  switch (name) {
    case 'Timestamp':
      return timestampText(...secondsAndNanos(type, message), path);
    case 'Duration':
      return durationText(...secondsAndNanos(type, message), path);
    case 'Struct':
      return printStruct(type, message, context, path);
    case 'ListValue': {
      const values = (fieldValue(message, fieldNumbered(type, 1)) ?? []) as Message[];
      const valueType = fieldNumbered(type, 1).resolvedType as protobuf.Type;
      return values.map((item, i) => printValue(valueType, item, context, pathTo(path, `[${i}]`)));
    }
    case 'Value':
      return printValue(type, message, context, path);
    case 'FieldMask':
      return fieldMaskText((fieldValue(message, fieldNumbered(type, 1)) ?? []) as string[], path);
    default:
      return printAny(type, message, context, path);
  }
}

function zeroOf(typeName: string): unknown {
  switch (typeName) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    default:
      return 0;
  }
}

/** The seconds and nanos of a Timestamp or Duration. */
function secondsAndNanos(type: protobuf.Type, message: Message): [bigint, number] {
  const seconds = bigintOf(fieldValue(message, fieldNumbered(type, 1)), false);
  const nanos = (fieldValue(message, fieldNumbered(type, 2)) ?? 0) as number;
  return [seconds, nanos];
}

function printStruct(type: protobuf.Type, message: Message, context: PrintContext, path: string): unknown {
  const field = fieldNumbered(type, 1);
  const valueType = field.resolvedType as protobuf.Type;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries((fieldValue(message, field) ?? {}) as Record<string, Message>)) {
    defineEntry(out, key, printValue(valueType, item, context, pathTo(path, `[${key}]`)));
  }
  return out;
}

function printValue(type: protobuf.Type, message: Message, context: PrintContext, path: string): unknown {
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(message, field.name) || message[field.name] == null) continue;
    const value = message[field.name];
    switch (field.id) {
      case 1:
        return null;
      case 2:
        if (!Number.isFinite(value)) throw misfit(path, `a Value cannot hold ${String(value)} in json`);
        return value;
      case 5:
      case 6:
        return printMessage(field.resolvedType as protobuf.Type, value as Message, context, path);
      default:
        return value;
    }
  }
  throw misfit(path, 'a Value has no kind set');
}

function printAny(type: protobuf.Type, message: Message, context: PrintContext, path: string): unknown {
  const url = (fieldValue(message, fieldNumbered(type, 1)) ?? '') as string;
  const bytes = bytesOf(fieldValue(message, fieldNumbered(type, 2)));
  if (url === '' && bytes.length === 0) return {};
  const packed = packedType(type, url, path);
  let inner: Message;
  try {
    inner = packed.decode(bytes) as unknown as Message;
  } catch (error) {
    throw misfit(path, `the bytes of an Any of ${url} do not decode: ${(error as Error).message}`);
  }
  const json = printMessage(packed, inner, context, path);
  return SPECIAL.has(packed.fullName)
    ? { '@type': url, value: json }
    : { '@type': url, ...(json as Record<string, unknown>) };
}

/** The message type an Any's type URL names: the schema (or what it imports) must define it. */
function packedType(anyType: protobuf.Type, url: string, path: string): protobuf.Type {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const found = name === '' ? null : anyType.root.lookup(`.${name}`);
  if (!(found instanceof protobuf.Type)) {
    throw misfit(path, `an Any holds ${JSON.stringify(url)}, a message type the schema does not define`);
  }
  return found;
}

// ---- reading --------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMessage(type: protobuf.Type, json: unknown, path: string): unknown {
  if (SPECIAL.has(type.fullName)) return readSpecial(type, json, path);
  // What is no object is left to the encoder, which says what it expected.
  if (!isPlainObject(json)) return json;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(json)) {
    const value = json[key];
    const field = fieldByKey(type, key);
    if (field === undefined) {
      // The encoder refuses it, naming it.
      defineEntry(out, key, value);
      continue;
    }
    const at = pathTo(path, key);
    if (value === null) {
      // null is a field left out, except where it is a value of its own (Value, NullValue).
      if (!field.repeated && isNullable(field)) out[key] = readSingle(field, null, at);
      continue;
    }
    if (field.map && isPlainObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [entryKey, item] of Object.entries(value)) {
        defineEntry(map, entryKey, readSingle(field, item, pathTo(at, `[${entryKey}]`)));
      }
      out[key] = map;
    } else if (field.repeated && !field.map && Array.isArray(value)) {
      out[key] = value.map((item: unknown, i) => readSingle(field, item, pathTo(at, `[${i}]`)));
    } else {
      out[key] = readSingle(field, value, at);
    }
  }
  return out;
}

function isNullable(field: protobuf.Field): boolean {
  const name = field.resolvedType?.fullName;
  return name === VALUE || name === NULL_VALUE;
}

function readSingle(field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    // A null item of a list or map is refused by the encoder, except where it is a Value.
    return value === null && resolved.fullName !== VALUE ? null : readMessage(resolved, value, path);
  }
  if (value === null && resolved?.fullName === NULL_VALUE) return 0;
  return value;
}

function readSpecial(type: protobuf.Type, json: unknown, path: string): unknown {
  const name = type.fullName.slice(PROTOBUF.length);
  if (WRAPPERS.has(type.fullName)) return json === null ? {} : { [fieldNumbered(type, 1).name]: json };
  switch (name) {
    case 'Timestamp':
      return typeof json === 'string' ? withSecondsAndNanos(type, readTimestamp(json, path)) : json;
    case 'Duration':
      return typeof json === 'string' ? withSecondsAndNanos(type, readDuration(json, path)) : json;
    case 'Struct':
      return isPlainObject(json) ? readStruct(type, json, path) : json;
    case 'ListValue':
      return Array.isArray(json) ? readList(type, json, path) : json;
    case 'Value':
      return readValue(type, json, path);
    case 'FieldMask':
      return typeof json === 'string' ? { [fieldNumbered(type, 1).name]: fieldMaskPaths(json, path) } : json;
    default:
      return isPlainObject(json) ? readAny(type, json, path) : json;
  }
}

function withSecondsAndNanos(type: protobuf.Type, [seconds, nanos]: [bigint, number]): unknown {
  return { [fieldNumbered(type, 1).name]: String(seconds), [fieldNumbered(type, 2).name]: nanos };
}

function readStruct(type: protobuf.Type, json: Record<string, unknown>, path: string): unknown {
  const valueType = fieldNumbered(type, 1).resolvedType as protobuf.Type;
  const fields: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(json)) {
    defineEntry(fields, key, readValue(valueType, item, pathTo(path, `[${key}]`)));
  }
  return { [fieldNumbered(type, 1).name]: fields };
}

function readList(type: protobuf.Type, json: readonly unknown[], path: string): unknown {
  const valueType = fieldNumbered(type, 1).resolvedType as protobuf.Type;
  return {
    [fieldNumbered(type, 1).name]: json.map((item, i) => readValue(valueType, item, pathTo(path, `[${i}]`))),
  };
}

function readValue(type: protobuf.Type, json: unknown, path: string): unknown {
  const kind = (id: number, value: unknown) => ({ [fieldNumbered(type, id).name]: value });
  if (json === null) return kind(1, 0);
  switch (typeof json) {
    case 'number':
      return kind(2, json);
    // An integer beyond 2^53 parsed exactly: a Value holds a double.
    case 'bigint':
      return kind(2, Number(json));
    case 'string':
      return kind(3, json);
    case 'boolean':
      return kind(4, json);
    default: {
      if (Array.isArray(json))
        return kind(6, readList(fieldNumbered(type, 6).resolvedType as protobuf.Type, json, path));
      if (isPlainObject(json))
        return kind(5, readStruct(fieldNumbered(type, 5).resolvedType as protobuf.Type, json, path));
      throw misfit(path, `json value expected, got ${describeValue(json)}`);
    }
  }
}

function readAny(type: protobuf.Type, json: Record<string, unknown>, path: string): unknown {
  const url = json['@type'];
  if (url === undefined && Object.keys(json).length === 0) return {};
  if (typeof url !== 'string') {
    throw misfit(path, `an Any needs its message type's URL as "@type", got ${describeValue(url)}`);
  }
  const packed = packedType(type, url, path);
  let fields: unknown;
  if (SPECIAL.has(packed.fullName)) {
    const others = Object.keys(json).filter((key) => key !== '@type' && key !== 'value');
    if (others.length > 0) {
      throw misfit(pathTo(path, others[0]!), `an Any of ${url} holds only "@type" and "value"`);
    }
    fields = readMessage(packed, json['value'], path);
  } else {
    const { '@type': _, ...rest } = json;
    fields = readMessage(packed, rest, path);
  }
  let bytes: Uint8Array;
  try {
    bytes = packed.encode(preparePlainMessage(packed, fields)).finish();
  } catch (error) {
    // The encoder's error names the field within the packed message.
    const detail =
      error instanceof Error ? error.message.replace(/^cannot serialize value: /, '') : String(error);
    throw misfit(path, `in an Any of ${url}: ${detail}`);
  }
  return { [fieldNumbered(type, 1).name]: url, [fieldNumbered(type, 2).name]: bytes };
}
