import { Buffer } from 'node:buffer';
import avsc from 'avsc';
import { MAX_RECORD_DEPTH, RecordsTooDeep } from './depth-limited-record-type.js';

/** Base64 as Buffer#toString('base64') writes it (and decoded values print): standard, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `value` (plain JSON data) with the JSON forms of what JSON has no type for turned into what avsc
 * writes: `bytes` and `fixed` from base64 text. A union converts a value only when no branch takes
 * it as it is (text stays text where the union has a string branch), then takes the first branch the
 * converted value fits. Logical types take
 * their text forms themselves (ISO timestamps, decimal strings); anything else is left as it is, for
 * encode to accept or refuse.
 */
export function fromJsonValue(type: avsc.Type, value: unknown, depth = 0): unknown {
  if (avsc.Type.isType(type, 'logical')) return value;
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
        return [name, fieldType === undefined ? item : fromJsonValue(fieldType, item, depth + 1)];
      }),
    );
  }
  if (avsc.Type.isType(type, 'array')) {
    const items = (type as avsc.types.ArrayType).itemsType;
    return Array.isArray(value) ? value.map((item: unknown) => fromJsonValue(items, item, depth)) : value;
  }
  if (avsc.Type.isType(type, 'map')) {
    if (!isPlainObject(value)) return value;
    const values = (type as avsc.types.MapType).valuesType;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fromJsonValue(values, item, depth)]),
    );
  }
  if (avsc.Type.isType(type, 'union:unwrapped')) {
    const branches = (type as avsc.types.UnwrappedUnionType).types;
    // A value the union takes as it is stays as it is, the branch avsc picks without conversion. The
    // union, not each branch, is asked: a long branch takes decimal text only where no branch takes
    // text (see long-unions.ts), so a bytes branch still gets its base64.
    if (type.isValid(value)) return value;
    let fallback = value;
    for (const branch of branches) {
      const converted = fromJsonValue(branch, value, depth);
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
    const [name, ...others] = Object.keys(value);
    const branch = (type as avsc.types.WrappedUnionType).types.find(
      (candidate) => candidate.branchName === name,
    );
    if (branch === undefined || others.length > 0) return value;
    return { [name!]: fromJsonValue(branch, value[name!], depth) };
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
