/**
 * JSON text of `value` with the keys of every object sorted, so that texts differing only in
 * whitespace and key order compare equal. Arrays keep their order: in Avro it is meaningful.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // fromEntries defines "__proto__" as a plain key, where assignment would set the prototype.
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
