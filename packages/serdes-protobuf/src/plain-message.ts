import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { defaultJsonName } from './json-names.js';

/**
 * Checks a plain object against a message type before protobufjs converts it, because
 * `Type.fromObject` coerces what does not fit (`"abc"` to 0 for an int32, `"false"` to true) and
 * `Type.verify` refuses what `fromObject` reads well (enum names, int64 decimal strings, base64
 * bytes), the very forms values decode to. Keys may be the .proto field names or their JSON names.
 */

interface MessageShape {
  /** Each field under its .proto name and its JSON name. */
  readonly fields: ReadonlyMap<string, protobuf.Field>;
  /** Oneof names (as .proto and JSON names), which decoded objects carry with `oneofs: true`. */
  readonly oneofNames: ReadonlySet<string>;
  readonly oneofs: readonly protobuf.OneOf[];
  readonly required: readonly protobuf.Field[];
}

const shapes = new WeakMap<protobuf.Type, MessageShape>();
/** The values of an integer type, as bigints and as doubles (exact: every bound is a power of two). */
interface IntegerRange {
  readonly min: bigint;
  readonly max: bigint;
  readonly low: number;
  /** One past `max`. */
  readonly high: number;
}

const integerRange = (min: bigint, max: bigint): IntegerRange => ({
  min,
  max,
  low: Number(min),
  high: Number(max + 1n),
});
const INT32 = integerRange(-(2n ** 31n), 2n ** 31n - 1n);
const UINT32 = integerRange(0n, 2n ** 32n - 1n);
const INT64 = integerRange(-(2n ** 63n), 2n ** 63n - 1n);
const UINT64 = integerRange(0n, 2n ** 64n - 1n);
const INTEGER_TEXT = /^-?\d+$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * `value` as `Type.fromObject` takes it: keys renamed to the .proto field names and bigints to
 * decimal strings (a copy only where something changed). Throws SCHEMAWIRE_SERIALIZATION_FAILED
 * naming the first field that does not fit.
 */
export function preparePlainMessage(type: protobuf.Type, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw mismatch('', `message ${type.fullName.slice(1)} expected`, value);
  }
  return prepareMessage(type, value, '', 0);
}

/** The error of a protobufjs message that `Type.verify` refused (`"age: integer expected"`). */
export function verifyError(problem: string): SchemaWireError {
  const colon = problem.indexOf(': ');
  const detail =
    colon < 0 ? problem : `field ${JSON.stringify(problem.slice(0, colon))}: ${problem.slice(colon + 2)}`;
  return new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${detail}`);
}

function prepareMessage(
  type: protobuf.Type,
  value: Record<string, unknown>,
  path: string,
  depth: number,
): Record<string, unknown> {
  // protobufjs stops at this depth too; a cyclic object would otherwise recurse until the stack ends.
  if (depth > protobuf.util.recursionLimit) {
    throw mismatch(path, `messages nested at most ${protobuf.util.recursionLimit} deep`, value);
  }
  const shape = shapeOf(type);
  let out = value;
  for (const key of Object.keys(value)) {
    const field = shape.fields.get(key);
    if (field === undefined) {
      if (shape.oneofNames.has(key)) continue;
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot serialize value: field ${JSON.stringify(join(path, key))} is not in message ${type.fullName.slice(1)}`,
      );
    }
    const item = value[key];
    if (key !== field.name && value[field.name] != null && item != null) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot serialize value: field ${JSON.stringify(join(path, field.name))} is given twice, as ${JSON.stringify(field.name)} and ${JSON.stringify(key)}`,
      );
    }
    if (item == null) continue;
    // Paths name fields as the value does, so the error points at what the caller wrote.
    const prepared = prepareField(field, item, join(path, key), depth);
    // protobufjs writes a field that is set, even to its default; protobuf leaves out a field without
    // presence that holds its default, so the bytes are the ones other implementations write.
    const omitted = !field.hasPresence && !field.repeated && !field.map && isDefault(field, prepared);
    if (prepared !== item || key !== field.name || omitted) {
      if (out === value) out = { ...value };
      delete out[key];
      if (!omitted) out[field.name] = prepared;
    }
  }
  for (const oneof of shape.oneofs) {
    const set = oneof.fieldsArray.filter((field) => out[field.name] != null);
    if (set.length > 1) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot serialize value: oneof ${JSON.stringify(join(path, oneof.name))} has several fields set: ${set.map((field) => JSON.stringify(field.name)).join(', ')}`,
      );
    }
  }
  for (const field of shape.required) {
    if (out[field.name] == null) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot serialize value: field ${JSON.stringify(join(path, field.name))} is required but missing`,
      );
    }
  }
  return out;
}

function prepareField(field: protobuf.Field, value: unknown, path: string, depth: number): unknown {
  if (field.map) {
    if (!isPlainObject(value)) throw mismatch(path, 'object (map) expected', value);
    const keyType = field instanceof protobuf.MapField ? field.keyType : 'string';
    let out = value;
    for (const key of Object.keys(value)) {
      const keyProblem = mapKeyProblem(keyType, key);
      if (keyProblem !== undefined) throw mismatch(`${path}[${key}]`, keyProblem, key);
      const item = value[key];
      const prepared = prepareSingle(field, item, `${path}[${key}]`, depth);
      if (prepared !== item) {
        if (out === value) out = { ...value };
        out[key] = prepared;
      }
    }
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw mismatch(path, 'array expected', value);
    let out: unknown[] = value;
    value.forEach((item: unknown, index) => {
      const prepared = prepareSingle(field, item, `${path}[${index}]`, depth);
      if (prepared !== item) {
        if (out === value) out = [...value];
        out[index] = prepared;
      }
    });
    return out;
  }
  return prepareSingle(field, value, path, depth);
}

function prepareSingle(field: protobuf.Field, value: unknown, path: string, depth: number): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (!isPlainObject(value)) throw mismatch(path, `message ${resolved.fullName.slice(1)} expected`, value);
    return prepareMessage(resolved, value, path, depth + 1);
  }
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'string' && Object.hasOwn(resolved.values, value)) return value;
    if (typeof value === 'number' && isIntegerIn(value, INT32)) return value;
    throw mismatch(path, `enum ${resolved.fullName.slice(1)} value expected (a name or an int32)`, value);
  }
  switch (field.type) {
    case 'double':
    case 'float':
      if (typeof value === 'number' || (typeof value === 'string' && isNumberText(value))) return value;
      throw mismatch(path, 'number expected', value);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return integer(value, INT32, field.type, path, false);
    case 'uint32':
    case 'fixed32':
      return integer(value, UINT32, field.type, path, false);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return integer(value, INT64, field.type, path, true);
    case 'uint64':
    case 'fixed64':
      return integer(value, UINT64, field.type, path, true);
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw mismatch(path, 'boolean expected', value);
    case 'string':
      if (typeof value === 'string') return value;
      throw mismatch(path, 'string expected', value);
    case 'bytes':
      if (value instanceof Uint8Array || (typeof value === 'string' && BASE64_TEXT.test(value))) return value;
      throw mismatch(path, 'bytes expected (a Uint8Array or base64 text)', value);
    default:
      return value;
  }
}

/** An integer of a range: a number or decimal text, and for 64-bit types a bigint or a Long. */
function integer(
  value: unknown,
  range: IntegerRange,
  typeName: string,
  path: string,
  long: boolean,
): unknown {
  // Numbers, the common case, are checked without a bigint.
  if (typeof value === 'number') {
    if (isIntegerIn(value, range)) return value;
    throw mismatch(path, `${typeName} expected`, value);
  }
  let exact: bigint | undefined;
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) exact = BigInt(value);
  else if (long && typeof value === 'bigint') exact = value;
  else if (long && isLongLike(value)) return value;
  if (exact !== undefined && inRange(exact, range))
    return typeof value === 'bigint' ? value.toString() : value;
  throw mismatch(path, `${typeName} expected`, value);
}

/** Whether a checked value is its field's default: 0, false, empty text or bytes, the zero enum. */
function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return !value;
  if (typeof value === 'string') {
    if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.values[value] === 0;
    return field.type === 'string' || field.type === 'bytes'
      ? value === ''
      : INTEGER_TEXT.test(value) && BigInt(value) === 0n;
  }
  if (value instanceof Uint8Array) return value.length === 0;
  return isLongLike(value) && (value as { low: number }).low === 0 && (value as { high: number }).high === 0;
}

function mapKeyProblem(keyType: string, key: string): string | undefined {
  switch (keyType) {
    case 'string':
      return undefined;
    case 'bool':
      return key === 'true' || key === 'false' ? undefined : 'bool map key expected';
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return INTEGER_TEXT.test(key) && inRange(BigInt(key), INT32)
        ? undefined
        : `${keyType} map key expected`;
    case 'uint32':
    case 'fixed32':
      return INTEGER_TEXT.test(key) && inRange(BigInt(key), UINT32)
        ? undefined
        : `${keyType} map key expected`;
    case 'uint64':
    case 'fixed64':
      return INTEGER_TEXT.test(key) && inRange(BigInt(key), UINT64)
        ? undefined
        : `${keyType} map key expected`;
    default:
      return INTEGER_TEXT.test(key) && inRange(BigInt(key), INT64)
        ? undefined
        : `${keyType} map key expected`;
  }
}

function shapeOf(type: protobuf.Type): MessageShape {
  let shape = shapes.get(type);
  if (shape === undefined) {
    const fields = new Map<string, protobuf.Field>();
    for (const field of type.fieldsArray) {
      fields.set(field.name, field);
      const jsonName = (field.options?.['json_name'] as string | undefined) ?? defaultJsonName(field.name);
      if (!fields.has(jsonName)) fields.set(jsonName, field);
    }
    const oneofNames = new Set<string>();
    for (const oneof of type.oneofsArray) {
      oneofNames.add(oneof.name);
      oneofNames.add(defaultJsonName(oneof.name));
    }
    shape = {
      fields,
      oneofNames,
      oneofs: type.oneofsArray,
      required: type.fieldsArray.filter((field) => field.required),
    };
    shapes.set(type, shape);
  }
  return shape;
}

function mismatch(path: string, expected: string, value: unknown): SchemaWireError {
  const where = path === '' ? '' : `field ${JSON.stringify(path)}: `;
  return new SchemaWireError(
    ErrorCode.SerializationFailed,
    `cannot serialize value: ${where}${expected}, got ${describeValue(value)}`,
  );
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function isLongLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { low, high } = value as { low?: unknown; high?: unknown };
  return Number.isInteger(low) && Number.isInteger(high);
}

function isNumberText(text: string): boolean {
  return text === 'NaN' || (text.trim() !== '' && !Number.isNaN(Number(text)));
}

function inRange(value: bigint, { min, max }: IntegerRange): boolean {
  return value >= min && value <= max;
}

function isIntegerIn(value: number, { low, high }: IntegerRange): boolean {
  return Number.isInteger(value) && value >= low && value < high;
}
