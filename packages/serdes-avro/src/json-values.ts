import { Buffer } from 'node:buffer';
import avsc from 'avsc';
import { MAX_RECORD_DEPTH, RecordsTooDeep } from './depth-limited-record-type.js';
import { BuiltInLogicalType } from './logical-types.js';
import { timeFromJson, timeJsonForm } from './time-annotations.js';

/**
 * How unions look in JSON: a branch's value alone, as avsc takes it (`unwrapped`; unions avsc cannot
 * tell apart by value stay `{ "branch name": value }`), or as the Avro specification's JSON encoding
 * writes every non-null one, `{ "branch name": value }` (`avro-json`).
 */
export type JsonUnions = 'unwrapped' | 'avro-json';

/** JSON text for the floats JSON has no number for, as the proto3 JSON mapping and Jackson write them. */
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

/** Base64 as Buffer#toString('base64') writes it (and decoded values print): standard, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `value` (plain JSON data) with the JSON forms of what JSON has no type for turned into what avsc
 * writes: `bytes` and `fixed` from base64 text, annotated times from their ISO text, non-finite floats
 * from their text, and, with `avro-json`, unions from `{ "branch name": value }`. Otherwise a union
 * converts a value only when no branch takes it as it is (text stays text where the union has a
 * string branch), then takes the first branch the converted value fits. Logical types take their
 * text forms themselves (ISO timestamps, decimal strings); anything else is left as it is, for
 * encode to accept or refuse (a field the record lacks too: encode names it).
 */
export function fromJsonValue(type: avsc.Type, value: unknown, unions: JsonUnions, depth = 0): unknown {
  if (avsc.Type.isType(type, 'logical')) return value;
  if (avsc.Type.isType(type, 'int', 'long')) return timeFromJson(type, value);
  if (avsc.Type.isType(type, 'float', 'double')) {
    if (typeof value === 'string') return NON_FINITE[value] ?? value;
    // An integral float beyond 2^53 prints as an integer, which exact JSON reading keeps as a bigint:
    // the text is the float's shortest, so the nearest number is the float again.
    return typeof value === 'bigint' ? Number(value) : value;
  }
  if (avsc.Type.isType(type, 'bytes', 'fixed')) {
    return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : value;
  }
  if (avsc.Type.isType(type, 'record', 'error')) {
    if (!isPlainObject(value)) return value;
    // The same limit as reading and writing: the value, not the schema, says how deep it goes.
    if (depth >= MAX_RECORD_DEPTH) throw new RecordsTooDeep();
    const fields = new Map((type as avsc.types.RecordType).fields.map((field) => [field.name, field.type]));
    // Entries, not assignments: a field may be named __proto__.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => {
        const fieldType = fields.get(name);
        return [name, fieldType === undefined ? item : fromJsonValue(fieldType, item, unions, depth + 1)];
      }),
    );
  }
  if (avsc.Type.isType(type, 'array')) {
    const items = (type as avsc.types.ArrayType).itemsType;
    return Array.isArray(value)
      ? value.map((item: unknown) => fromJsonValue(items, item, unions, depth))
      : value;
  }
  if (avsc.Type.isType(type, 'map')) {
    if (!isPlainObject(value)) return value;
    const values = (type as avsc.types.MapType).valuesType;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fromJsonValue(values, item, unions, depth)]),
    );
  }
  if (avsc.Type.isType(type, 'union:unwrapped')) {
    const branches = (type as avsc.types.UnwrappedUnionType).types;
    const named = unions === 'avro-json' ? namedBranch(branches, value) : undefined;
    if (named !== undefined) {
      const converted = fromJsonValue(named.branch, named.value, unions, depth);
      // The union picks its branch by the value: a logical branch's text becomes the value it decodes
      // to (a date's Date), which no other branch takes.
      return avsc.Type.isType(named.branch, 'logical') && named.branch.isValid(converted)
        ? named.branch.fromBuffer(named.branch.toBuffer(converted))
        : converted;
    }
    // A value the union takes as it is stays as it is, the branch avsc picks without conversion. The
    // union, not each branch, is asked: a long branch takes decimal text only where no branch takes
    // text (see long-unions.ts), so a bytes branch still gets its base64.
    if (type.isValid(value)) return value;
    let fallback = value;
    for (const branch of branches) {
      const converted = fromJsonValue(branch, value, unions, depth);
      if (converted === value) continue;
      if (branch.isValid(converted)) return converted;
      // Kept, so that the error for a value no branch takes names the field that is wrong, not
      // every base64 field beside it.
      if (fallback === value) fallback = converted;
    }
    return fallback;
  }
  if (avsc.Type.isType(type, 'union:wrapped') && isPlainObject(value)) {
    // `{ "branch name": value }`, as avsc writes ambiguous unions.
    const named = namedBranch((type as avsc.types.WrappedUnionType).types, value);
    if (named === undefined) return value;
    return { [named.branch.branchName!]: fromJsonValue(named.branch, named.value, unions, depth) };
  }
  return value;
}

/**
 * A decoded `value` of `type` in the Avro JSON form (see {@link JsonUnions}): bytes and fixed as base64,
 * logical types and annotated times as their text (see `jsonForm`), floats JSON has no number for as
 * text, -0 as -0; longs as decoded. {@link fromJsonValue} takes it back.
 */
export function toJsonValue(type: avsc.Type, value: unknown, unions: JsonUnions, depth = 0): unknown {
  if (avsc.Type.isType(type, 'logical')) {
    return type instanceof BuiltInLogicalType ? type.jsonForm(value) : value;
  }
  if (avsc.Type.isType(type, 'int', 'long')) return timeJsonForm(type, value);
  if (avsc.Type.isType(type, 'float', 'double') && typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    // JSON.stringify prints -0 as 0, which reads back as another float.
    return Object.is(value, -0) ? rawJSON('-0') : value;
  }
  if (avsc.Type.isType(type, 'bytes', 'fixed')) {
    return Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  if (avsc.Type.isType(type, 'record', 'error')) {
    if (!isPlainObject(value)) return value;
    if (depth >= MAX_RECORD_DEPTH) throw new RecordsTooDeep();
    return Object.fromEntries(
      (type as avsc.types.RecordType).fields.map((field) => [
        field.name,
        toJsonValue(field.type, value[field.name], unions, depth + 1),
      ]),
    );
  }
  if (avsc.Type.isType(type, 'array')) {
    const items = (type as avsc.types.ArrayType).itemsType;
    return Array.isArray(value)
      ? value.map((item: unknown) => toJsonValue(items, item, unions, depth))
      : value;
  }
  if (avsc.Type.isType(type, 'map')) {
    if (!isPlainObject(value)) return value;
    const values = (type as avsc.types.MapType).valuesType;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toJsonValue(values, item, unions, depth)]),
    );
  }
  if (avsc.Type.isType(type, 'union:unwrapped')) {
    if (value === null) return null;
    const branch = decodedBranch(type as avsc.types.UnwrappedUnionType & BranchIndex, value);
    if (branch === undefined) return value;
    const json = toJsonValue(branch, value, unions, depth);
    return unions === 'avro-json' ? { [branch.branchName!]: json } : json;
  }
  if (avsc.Type.isType(type, 'union:wrapped') && isPlainObject(value)) {
    const named = namedBranch((type as avsc.types.WrappedUnionType).types, value);
    if (named === undefined) return value;
    return { [named.branch.branchName!]: toJsonValue(named.branch, named.value, unions, depth) };
  }
  return value;
}

/** avsc's choice of an unwrapped union's branch for a value (by its kind, then the logical branches). */
interface BranchIndex {
  _getIndex(value: unknown): number | undefined;
}

/**
 * The branch of an unwrapped union a decoded value came from: the one avsc would write it with, else
 * (a bigint, which avsc's choice knows only in some unions, or a value two logical branches take) the
 * first that takes it.
 */
function decodedBranch(
  type: avsc.types.UnwrappedUnionType & BranchIndex,
  value: unknown,
): avsc.Type | undefined {
  let index: number | undefined;
  try {
    index = type._getIndex(value);
  } catch {
    // avsc refuses a value more than one logical branch takes.
  }
  const types = type.types;
  return index === undefined ? types.find((candidate) => candidate.isValid(value)) : types[index];
}

/** The branch and its value when `value` is `{ "branch name": value }` naming one of `branches`. */
function namedBranch(
  branches: readonly avsc.Type[],
  value: unknown,
): { readonly branch: avsc.Type; readonly value: unknown } | undefined {
  if (!isPlainObject(value)) return undefined;
  const [name, ...others] = Object.keys(value);
  if (name === undefined || others.length > 0) return undefined;
  const branch = branches.find((candidate) => candidate.branchName === name);
  return branch === undefined ? undefined : { branch, value: value[name] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
