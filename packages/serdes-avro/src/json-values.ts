import avsc from 'avsc';

/** Base64 as Buffer#toString('base64') writes it (and decoded values print): standard, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `value` (plain JSON data) with the JSON forms of what JSON has no type for turned into what avsc
 * writes: `bytes` and `fixed` from base64 text. A union takes its first branch the converted value
 * fits, so text stays text where the union has a string branch before a bytes one. Logical types take
 * their text forms themselves (ISO timestamps, decimal strings); anything else is left as it is, for
 * encode to accept or refuse.
 */
export function fromJsonValue(type: avsc.Type, value: unknown): unknown {
  if (avsc.Type.isType(type, 'logical')) return value;
  if (avsc.Type.isType(type, 'bytes', 'fixed')) {
    return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : value;
  }
  if (avsc.Type.isType(type, 'record', 'error')) {
    if (!isPlainObject(value)) return value;
    const fields = new Map((type as avsc.types.RecordType).fields.map((field) => [field.name, field.type]));
    // Entries, not assignments: a field may be named __proto__.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => {
        const fieldType = fields.get(name);
        return [name, fieldType === undefined ? item : fromJsonValue(fieldType, item)];
      }),
    );
  }
  if (avsc.Type.isType(type, 'array')) {
    const items = (type as avsc.types.ArrayType).itemsType;
    return Array.isArray(value) ? value.map((item: unknown) => fromJsonValue(items, item)) : value;
  }
  if (avsc.Type.isType(type, 'map')) {
    if (!isPlainObject(value)) return value;
    const values = (type as avsc.types.MapType).valuesType;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromJsonValue(values, item)]));
  }
  if (avsc.Type.isType(type, 'union:unwrapped')) {
    for (const branch of (type as avsc.types.UnwrappedUnionType).types) {
      const converted = fromJsonValue(branch, value);
      if (branch.isValid(converted)) return converted;
    }
    return value;
  }
  if (avsc.Type.isType(type, 'union:wrapped') && isPlainObject(value)) {
    // `{ "branch name": value }`, as avsc writes ambiguous unions.
    const [name, ...others] = Object.keys(value);
    const branch = (type as avsc.types.WrappedUnionType).types.find(
      (candidate) => candidate.branchName === name,
    );
    if (branch === undefined || others.length > 0) return value;
    return { [name!]: fromJsonValue(branch, value[name!]) };
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
