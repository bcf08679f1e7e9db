/**
 * `value` as plain JSON data: bytes as base64, dates as ISO strings, bigints as strings, maps as
 * objects. Decoded values hold such types, which JSON.stringify would print as noise or reject.
 */
export function toPrintable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toPrintable);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toPrintable(v)]));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = toPrintable(field);
    return out;
  }
  return value;
}

/** `value` as one line of JSON, after {@link toPrintable}. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(toPrintable(value)) ?? 'null';
}
