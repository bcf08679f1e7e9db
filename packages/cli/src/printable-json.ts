import { stringifyJsonExactly } from '@schemawire/core-client';

/** JSON.isRawJSON (Node 21+), which the TypeScript library does not declare yet. */
const { isRawJSON } = JSON as unknown as { isRawJSON: (value: unknown) => boolean };

/**
 * `value` as plain JSON data: bytes as base64, dates as ISO strings, maps as objects, bigints kept
 * (see {@link jsonLine}), or as decimal text with `longsAsText`. Decoded values hold such types, which
 * JSON.stringify would print as noise or reject.
 */
export function toPrintable(value: unknown, longsAsText = false): unknown {
  if (typeof value === 'bigint') return longsAsText ? value.toString() : value;
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toPrintable(item, longsAsText));
  // Text a codec's JSON form spells out itself (Avro's -0.0), which JSON.stringify prints as it is.
  if (isRawJSON(value)) return value;
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toPrintable(v, longsAsText)]));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== undefined) out[key] = toPrintable(field, longsAsText);
    }
    return out;
  }
  return value;
}

/**
 * `value` as one line of JSON, after {@link toPrintable}: bigints print as JSON numbers with all
 * their digits, or as decimal text with `longsAsText`.
 */
export function jsonLine(value: unknown, longsAsText = false): string {
  const printable = toPrintable(value, longsAsText);
  try {
    return JSON.stringify(printable) ?? 'null';
  } catch (error) {
    // Only a line with a bigint in it pays for the replacer that prints it.
    if (!(error instanceof TypeError && /bigint/i.test(error.message))) throw error;
    return stringifyJsonExactly(printable) ?? 'null';
  }
}
