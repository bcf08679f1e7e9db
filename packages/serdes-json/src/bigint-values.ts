/**
 * Values with bigints in them: integers of JSON text beyond 2^53, which ajv does not take (its
 * `integer` and `number` are `typeof "number"`). They are checked as numbers instead; bounds in a
 * schema are numbers too, so nothing the schema can say is lost.
 */

/** Whether `value` is or holds a bigint. */
export function holdsBigint(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsBigint);
  for (const key in value) {
    if (Object.hasOwn(value, key) && holdsBigint((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** `value` with every bigint turned by `convert`; the rest as it is, other containers copied. */
export function mapBigints(value: unknown, convert: (long: bigint) => unknown): unknown {
  if (typeof value === 'bigint') return convert(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => mapBigints(item, convert));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = mapBigints(item, convert);
    // A key named `__proto__` is an entry like any other, not the object's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true });
    else out[key] = converted;
  }
  return out;
}
