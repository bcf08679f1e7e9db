import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { defaultJsonName, isUsableKey, jsonNameOf } from './json-names.js';

/**
 * Checks a plain object against a message type and converts it, in the same pass, into what
 * protobufjs's `Type.encode` writes. `Type.fromObject` is not used: it coerces what does not fit
 * (`"abc"` to 0 for an int32, `"false"` to true), and `Type.verify` refuses what values decode to
 * (enum names, int64 decimal strings, base64 bytes). Keys may be the .proto field names or their JSON
 * names. Each message type's plan is built once; the hot path reads each field once and builds one
 * object per message.
 */

/** How a field's values are checked and converted. */
enum Kind {
  Message,
  Enum,
  Float,
  Int32,
  Uint32,
  Int64,
  Uint64,
  Bool,
  String,
  Bytes,
}

enum Shape {
  Single,
  Repeated,
  Map,
}

interface FieldPlan {
  /** The .proto name: the key of the converted object. */
  readonly name: string;
  /** The JSON name, when it differs from the .proto name. */
  readonly jsonName: string | undefined;
  readonly kind: Kind;
  readonly shape: Shape;
  /** proto3 leaves out a field without presence that holds its default, and so does this. */
  readonly omitsDefault: boolean;
  /** The type as the .proto file names it (`int32`, `sint64`), for errors. */
  readonly typeName: string;
  readonly mapKeyType: string;
  /** The message type of a message field, whose plan is looked up when first needed. */
  readonly messageType: protobuf.Type | undefined;
  readonly enumType: protobuf.Enum | undefined;
  /** The plan of `messageType`, kept here once looked up (a message may contain itself). */
  messagePlan: MessagePlan | undefined;
}

type MessageConverter = (value: Record<string, unknown>, depth: number) => Record<string, unknown>;

interface MessagePlan {
  /** The full name, without protobufjs's leading dot. */
  readonly typeName: string;
  readonly fields: readonly FieldPlan[];
  /** Every key a value may have: field and oneof names, .proto and JSON. */
  readonly keys: ReadonlySet<string>;
  /** Oneof names, .proto and JSON: decoded objects carry them with `oneofs: true`. */
  readonly oneofKeys: readonly string[];
  /** Oneofs of several fields (proto3 `optional` fields have one each), with their fields' names. */
  readonly oneofs: readonly { readonly name: string; readonly fields: readonly string[] }[];
  readonly required: readonly string[];
  readonly convert: MessageConverter;
}

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
/** Base64, standard or URL-safe, padded or not (as the proto3 JSON mapping takes it), of a whole number of bytes. */
const BASE64_TEXT = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * A problem found below the top of the value. Each message, list and map it passes through on the
 * way up adds its step of the path; only the top turns it into the error the caller sees.
 */
class Misfit {
  /** The path to the problem, innermost step first: `itemName`, `[1]`, `items`. */
  readonly steps: string[] = [];
  constructor(readonly render: (path: string) => string) {}
}

const plans = new WeakMap<protobuf.Type, MessagePlan>();

/**
 * `value` as `Type.encode` takes it: keys renamed to the .proto field names, enum names to numbers,
 * numeric text to numbers, bigints to decimal text, and fields without presence that hold their
 * default left out. Throws SCHEMAWIRE_SERIALIZATION_FAILED naming the first field that does not fit.
 * The value itself is never changed.
 */
export function preparePlainMessage(type: protobuf.Type, value: unknown): Record<string, unknown> {
  return prepareWith(type, planOf(type), value);
}

/**
 * {@link preparePlainMessage} for values of one type, its converter looked up once: an encoder's hot
 * path then skips the lookup by type, which took a tenth of a two-field message's encoding.
 */
export function plainMessagePreparer(type: protobuf.Type): (value: unknown) => Record<string, unknown> {
  const plan = planOf(type);
  return (value) => prepareWith(type, plan, value);
}

function prepareWith(type: protobuf.Type, plan: MessagePlan, value: unknown): Record<string, unknown> {
  try {
    if (!isPlainObject(value)) throw mismatch(`message ${type.fullName.slice(1)} expected`, value);
    return plan.convert(value, 0);
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    const path = error.steps.reduceRight(
      (text, step) => (text === '' || step.startsWith('[') ? text + step : `${text}.${step}`),
      '',
    );
    throw new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${error.render(path)}`);
  }
}

/** The error of a protobufjs message that `Type.verify` refused (`"age: integer expected"`). */
export function verifyError(problem: string): SchemaWireError {
  const colon = problem.indexOf(': ');
  const detail =
    colon < 0 ? problem : `field ${JSON.stringify(problem.slice(0, colon))}: ${problem.slice(colon + 2)}`;
  return new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${detail}`);
}

/**
 * A message type's converter, built as source text with every key a constant, so that the engine
 * reads and writes the fields as it does in protobufjs's own generated `fromObject`: a loop over
 * the fields with computed keys takes three times as long. Only names from the schema, quoted by
 * JSON.stringify, enter the text. Field checks that fit on a line (strings, booleans, numbers of a
 * double field) are written inline; the others call {@link convertField}.
 */
function compileConverter(plan: Omit<MessagePlan, 'convert'>): MessageConverter {
  const lines = [
    // protobufjs stops at this depth too; a cyclic object would otherwise recurse until the stack ends.
    'if (d > rt.recursionLimit) throw rt.tooDeep(v);',
    'const o = {};',
    // Keys read: when fewer than the value has, one of its keys is not the message's.
    'let n = 0, x, y, k;',
  ];
  // A key that objects inherit (`constructor`, `toString`) is read only from the value itself.
  const read = (key: string) => {
    const quoted = JSON.stringify(key);
    return key in Object.prototype
      ? `(Object.hasOwn(v, ${quoted}) ? v[${quoted}] : undefined)`
      : `v[${quoted}]`;
  };
  plan.fields.forEach((field, i) => {
    const name = JSON.stringify(field.name);
    const f = `f[${i}]`;
    lines.push(`x = ${read(field.name)}; k = ${name};`, 'if (x !== undefined) n++;');
    if (field.jsonName !== undefined) {
      const json = JSON.stringify(field.jsonName);
      lines.push(
        `y = ${read(field.jsonName)};`,
        `if (y !== undefined) { n++; if (x == null) { x = y; k = ${json}; } else if (y !== null) throw rt.givenTwice(${f}); }`,
      );
    }
    lines.push('if (x != null) {');
    const inline = field.shape === Shape.Single ? inlineCheck(field.kind) : undefined;
    // Paths name fields as the value does (k), so an error points at what the caller wrote.
    lines.push(inline === undefined ? `x = rt.convertField(${f}, x, d, k);` : inline(f));
    const store = `o[${name}] = x;`;
    lines.push(field.omitsDefault ? `if (!(${defaultTest(field.kind, f)})) ${store}` : store, '}');
  });
  for (const key of plan.oneofKeys) lines.push(`if (${read(key)} !== undefined) n++;`);
  // A value that inherits (a class instance) may have read fields from its prototype: its own keys
  // are checked one by one.
  lines.push(
    'if (n !== Object.keys(v).length || Object.getPrototypeOf(v) !== Object.prototype) rt.checkKeys(p, v);',
  );
  if (plan.oneofs.length > 0 || plan.required.length > 0) lines.push('rt.checkSet(p, o);');
  lines.push('return o;');
  const factory = new Function('f', 'p', 'rt', `return function convert(v, d) {\n${lines.join('\n')}\n};`);
  return factory(plan.fields, plan, runtime) as MessageConverter;
}

/** The inline check of a single field of `kind`, when it has one. */
function inlineCheck(kind: Kind): ((f: string) => string) | undefined {
  const checked = (type: string) => (f: string) =>
    `if (typeof x !== "${type}") throw rt.mismatchAt(${f}, x, k);`;
  switch (kind) {
    case Kind.String:
      return checked('string');
    case Kind.Bool:
      return checked('boolean');
    case Kind.Float:
      return (f) => `if (typeof x !== "number") x = rt.convertField(${f}, x, d, k);`;
    default:
      return undefined;
  }
}

/** The test that a converted value of `kind` is its field's default: 0, false, empty text or bytes, the zero enum. */
function defaultTest(kind: Kind, f: string): string {
  switch (kind) {
    case Kind.String:
      return 'x === ""';
    case Kind.Bool:
      return 'x === false';
    case Kind.Float:
    case Kind.Int32:
    case Kind.Uint32:
    case Kind.Enum:
      // -0 too, as protobufjs has it; NaN is not a default.
      return 'x === 0';
    default:
      return `rt.isDefault(${f}, x)`;
  }
}

/** What generated converters call. */
const runtime = {
  recursionLimit: protobuf.util.recursionLimit,
  convertField,
  isDefault,
  checkKeys,
  checkSet,
  tooDeep: (value: unknown) =>
    mismatch(`messages nested at most ${protobuf.util.recursionLimit} deep`, value),
  mismatchAt: (field: FieldPlan, value: unknown, key: string) => at(mismatch(expectedOf(field), value), key),
  givenTwice: (field: FieldPlan) =>
    at(
      new Misfit(
        (path) =>
          `field ${JSON.stringify(path)} is given twice, as ${JSON.stringify(field.name)} and ${JSON.stringify(field.jsonName)}`,
      ),
      field.name,
    ),
};

/** Converts a field's value (one, a list or a map); a Misfit gets the key as its step. */
function convertField(field: FieldPlan, value: unknown, depth: number, key: string): unknown {
  try {
    return field.shape === Shape.Single
      ? convertSingle(field, value, depth)
      : field.shape === Shape.Repeated
        ? convertList(field, value, depth)
        : convertMap(field, value, depth);
  } catch (error) {
    throw at(error, key);
  }
}

/** Throws when a oneof has several fields set or a required field is missing. */
function checkSet(plan: Omit<MessagePlan, 'convert'>, out: Record<string, unknown>): void {
  for (const oneof of plan.oneofs) {
    const names = oneof.fields.filter((name) => out[name] !== undefined);
    if (names.length > 1) {
      throw at(
        new Misfit(
          (path) =>
            `oneof ${JSON.stringify(path)} has several fields set: ${names.map((name) => JSON.stringify(name)).join(', ')}`,
        ),
        oneof.name,
      );
    }
  }
  for (const name of plan.required) {
    if (out[name] === undefined) {
      throw at(new Misfit((path) => `field ${JSON.stringify(path)} is required but missing`), name);
    }
  }
}

/** Throws for the first key of `value` that is not the message's. */
function checkKeys(plan: Omit<MessagePlan, 'convert'>, value: Record<string, unknown>): void {
  for (const key of Object.keys(value)) {
    if (!plan.keys.has(key)) {
      throw at(new Misfit((path) => `field ${JSON.stringify(path)} is not in message ${plan.typeName}`), key);
    }
  }
}

function convertList(field: FieldPlan, value: unknown, depth: number): unknown {
  if (!Array.isArray(value)) throw mismatch('array expected', value);
  // The list itself is kept when no item changes (strings, booleans, numbers of their type).
  let out: unknown[] = value;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    let converted: unknown;
    try {
      if (item == null) throw mismatch(expectedOf(field), item);
      converted = convertSingle(field, item, depth);
    } catch (error) {
      throw at(error, `[${i}]`);
    }
    if (converted !== item) {
      if (out === value) out = value.slice(0, i);
      out.push(converted);
    } else if (out !== value) {
      out.push(converted);
    }
  }
  return out;
}

function convertMap(field: FieldPlan, value: unknown, depth: number): unknown {
  if (!isPlainObject(value)) throw mismatch('object (map) expected', value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    try {
      const keyProblem = mapKeyProblem(field.mapKeyType, key);
      if (keyProblem !== undefined) throw mismatch(keyProblem, key);
      const item = value[key];
      if (item == null) throw mismatch(expectedOf(field), item);
      const converted = convertSingle(field, item, depth);
      // A key named `__proto__` is an entry like any other, not the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true });
      else out[key] = converted;
    } catch (error) {
      throw at(error, `[${key}]`);
    }
  }
  return out;
}

/** A value of the field's type as encode takes it; throws a Misfit when it is not one. */
function convertSingle(field: FieldPlan, value: unknown, depth: number): unknown {
  switch (field.kind) {
    case Kind.String:
      if (typeof value === 'string') return value;
      break;
    case Kind.Int32:
      if (typeof value === 'number' ? isIntegerIn(value, INT32) : isIntegerText(value, INT32)) {
        return Number(value);
      }
      break;
    case Kind.Uint32:
      if (typeof value === 'number' ? isIntegerIn(value, UINT32) : isIntegerText(value, UINT32)) {
        return Number(value);
      }
      break;
    case Kind.Int64:
      return longValue(field, value, INT64);
    case Kind.Uint64:
      return longValue(field, value, UINT64);
    case Kind.Float:
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && isNumberText(value)) return Number(value);
      // An integer JSON text holds beyond 2^53, read exactly: a double holds its nearest value.
      if (typeof value === 'bigint') return Number(value);
      break;
    case Kind.Bool:
      if (typeof value === 'boolean') return value;
      break;
    case Kind.Enum: {
      if (typeof value === 'string') {
        const values = field.enumType!.values;
        if (Object.hasOwn(values, value)) return values[value];
      } else if (typeof value === 'number' && isIntegerIn(value, INT32)) {
        return value;
      }
      break;
    }
    case Kind.Message:
      if (isPlainObject(value)) {
        field.messagePlan ??= planOf(field.messageType!);
        return field.messagePlan.convert(value, depth + 1);
      }
      break;
    case Kind.Bytes:
      if (value instanceof Uint8Array) return value;
      if (typeof value === 'string' && BASE64_TEXT.test(value)) return Buffer.from(value, 'base64');
      break;
  }
  throw mismatch(expectedOf(field), value);
}

/** A 64-bit integer: a safe number (beyond, JSON.parse may have rounded it), text, a bigint or a Long. */
function longValue(field: FieldPlan, value: unknown, range: IntegerRange): unknown {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && isIntegerIn(value, range)) return value;
  } else if (typeof value === 'string') {
    if (INTEGER_TEXT.test(value) && inRange(BigInt(value), range)) return value;
  } else if (typeof value === 'bigint') {
    if (inRange(value, range)) return value.toString();
  } else if (isLongLike(value)) {
    return value;
  }
  throw mismatch(expectedOf(field), value);
}

/** Whether a converted value is its field's default: 0, false, empty text or bytes, the zero enum. */
function isDefault(field: FieldPlan, value: unknown): boolean {
  switch (field.kind) {
    case Kind.String:
      return value === '';
    case Kind.Bytes:
      return (value as string | Uint8Array).length === 0;
    case Kind.Int64:
    case Kind.Uint64:
      if (typeof value === 'string') return BigInt(value) === 0n;
      if (typeof value === 'number') return value === 0;
      return (value as { low: number }).low === 0 && (value as { high: number }).high === 0;
    case Kind.Message:
      return false;
    default:
      return !value;
  }
}

/** What a value of the field's type is, for errors: `string expected`. */
function expectedOf(field: FieldPlan): string {
  switch (field.kind) {
    case Kind.Message:
      return `message ${field.messageType!.fullName.slice(1)} expected`;
    case Kind.Enum:
      return `enum ${field.enumType!.fullName.slice(1)} value expected (a name or an int32)`;
    case Kind.Float:
      return 'number expected';
    case Kind.Bool:
      return 'boolean expected';
    case Kind.String:
      return 'string expected';
    case Kind.Bytes:
      return 'bytes expected (a Uint8Array or base64 text)';
    default:
      return `${field.typeName} expected`;
  }
}

function mismatch(expected: string, value: unknown): Misfit {
  return new Misfit(
    (path) =>
      `${path === '' ? '' : `field ${JSON.stringify(path)}: `}${expected}, got ${describeValue(value)}`,
  );
}

/** Adds a step to the path of a Misfit; anything else passes through. */
function at(error: unknown, step: string): unknown {
  if (error instanceof Misfit) error.steps.push(step);
  return error;
}

function mapKeyProblem(keyType: string, key: string): string | undefined {
  switch (keyType) {
    case 'string':
      return undefined;
    case 'bool':
      // protobufjs 7 writes every bool map key as true (it passes the key's text to its bool
      // writer), so a false key would come back as true: it is refused rather than changed.
      if (key === 'false') return 'bool map key true expected (protobufjs 7 would write false as true)';
      return key === 'true' ? undefined : 'bool map key expected';
    default: {
      const range = rangeOf(keyType);
      return isIntegerText(key, range) ? undefined : `${keyType} map key expected`;
    }
  }
}

function planOf(type: protobuf.Type): MessagePlan {
  let plan = plans.get(type);
  if (plan === undefined) {
    // Every key a value may use. A JSON name that another field has as its .proto name, or that an
    // earlier field has as its JSON name, stays that field's.
    const keys = new Set<string>(type.fieldsArray.map((field) => field.name));
    const fields = type.fieldsArray.map((field): FieldPlan => {
      field.resolve();
      const jsonName = jsonNameOf(field.name, field.options);
      const ownJsonName = !keys.has(jsonName) && isUsableKey(jsonName);
      if (ownJsonName) keys.add(jsonName);
      const resolved = field.resolvedType;
      return {
        name: field.name,
        jsonName: ownJsonName ? jsonName : undefined,
        kind: kindOf(field),
        shape: field.map ? Shape.Map : field.repeated ? Shape.Repeated : Shape.Single,
        omitsDefault: !field.hasPresence && !field.repeated && !field.map,
        typeName: field.type,
        mapKeyType: field instanceof protobuf.MapField ? field.keyType : 'string',
        messageType: resolved instanceof protobuf.Type ? resolved : undefined,
        enumType: resolved instanceof protobuf.Enum ? resolved : undefined,
        messagePlan: undefined,
      };
    });
    // A oneof named like a field is read as the field.
    const oneofKeys = type.oneofsArray
      .flatMap((oneof) => [oneof.name, defaultJsonName(oneof.name)])
      .filter((key) => !keys.has(key));
    for (const key of oneofKeys) keys.add(key);
    const parts: Omit<MessagePlan, 'convert'> = {
      typeName: type.fullName.slice(1),
      fields,
      keys,
      oneofKeys: [...new Set(oneofKeys)],
      oneofs: type.oneofsArray
        .filter((oneof) => oneof.fieldsArray.length > 1)
        .map((oneof) => ({ name: oneof.name, fields: oneof.fieldsArray.map((field) => field.name) })),
      required: type.fieldsArray.filter((field) => field.required).map((field) => field.name),
    };
    plan = { ...parts, convert: compileConverter(parts) };
    plans.set(type, plan);
  }
  return plan;
}

function kindOf(field: protobuf.Field): Kind {
  if (field.resolvedType instanceof protobuf.Type) return Kind.Message;
  if (field.resolvedType instanceof protobuf.Enum) return Kind.Enum;
  switch (field.type) {
    case 'double':
    case 'float':
      return Kind.Float;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return Kind.Int32;
    case 'uint32':
    case 'fixed32':
      return Kind.Uint32;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return Kind.Int64;
    case 'uint64':
    case 'fixed64':
      return Kind.Uint64;
    case 'bool':
      return Kind.Bool;
    case 'bytes':
      return Kind.Bytes;
    default:
      return Kind.String;
  }
}

function rangeOf(typeName: string): IntegerRange {
  switch (typeName) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return INT32;
    case 'uint32':
    case 'fixed32':
      return UINT32;
    case 'uint64':
    case 'fixed64':
      return UINT64;
    default:
      return INT64;
  }
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

function isIntegerText(value: unknown, range: IntegerRange): boolean {
  return typeof value === 'string' && INTEGER_TEXT.test(value) && inRange(BigInt(value), range);
}

function inRange(value: bigint, { min, max }: IntegerRange): boolean {
  return value >= min && value <= max;
}

function isIntegerIn(value: number, { low, high }: IntegerRange): boolean {
  return Number.isInteger(value) && value >= low && value < high;
}
