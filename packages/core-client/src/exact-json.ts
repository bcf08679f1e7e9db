import type { Longs } from './schema-format.js';

/** JSON.parse's reviver context (source text access: V8 11.4, so every Node this package supports). */
interface ReviverContext {
  readonly source?: string;
}

/** JSON.rawJSON, which lets JSON.stringify print a bigint's digits as a number. */
type RawJson = (text: string) => unknown;
const { rawJSON } = JSON as unknown as { rawJSON: RawJson };

/** The largest safe integer has 16 digits: text without a run of 16 digits holds no unsafe one. */
const LONG_DIGITS = /\d{16}/;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * `text` parsed as JSON with every integer a number cannot hold exactly (beyond ±(2^53 - 1)) kept
 * whole: a bigint, or its decimal text with `longs: 'string'`. Other numbers are JSON.parse's. Text
 * with no run of 16 digits (nearly all) goes straight to JSON.parse; the rest pays for a reviver.
 * Throws what JSON.parse throws.
 */
export function parseJsonExactly(text: string, longs: Longs = 'number-or-bigint'): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(text, longs === 'string' ? reviveLongAsText : reviveLongAsBigint);
}

function reviveLongAsBigint(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_TEXT.test(source) ? BigInt(source) : value;
}

function reviveLongAsText(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_TEXT.test(source) ? source : value;
}

/**
 * `value` as JSON text with bigints printed as numbers with all their digits (JSON.stringify refuses
 * them); undefined where JSON.stringify gives undefined. Call it where a value may hold bigints:
 * the replacer makes it slower than JSON.stringify.
 */
export function stringifyJsonExactly(value: unknown): string | undefined {
  return JSON.stringify(value, bigintAsNumber);
}

function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? rawJSON(value.toString()) : value;
}
