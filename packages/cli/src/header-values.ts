import { isUtf8 } from 'node:buffer';
import type { IHeaders } from 'kafkajs';

/** A header value as a line prints it: UTF-8 text, or other bytes as base64. */
export type PrintedHeaderValue = string | { readonly base64: string };

/** The help words for how header values print and are read. */
export const headerValuesHelp = `header values are UTF-8 text, or {"base64": "..."} for bytes that are not UTF-8 text`;

// Whether `bytes` hold a control character other than tab and line breaks: bytes such as a schema id
// header's are UTF-8 by accident, and read better, and as what they are, in base64. In UTF-8 a byte
// below 0x80 is always the ASCII character itself.
function hasControlCharacter(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return true;
  }
  return false;
}

/** The headers of a message as a line prints them; repeated headers print as arrays. */
export function printableHeaders(headers: IHeaders | undefined): Record<string, unknown> {
  // Entries, not assignments: a header may be named __proto__.
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [[name, Array.isArray(value) ? value.map(printableHeaderValue) : printableHeaderValue(value)]],
    ),
  );
}

function printableHeaderValue(value: Buffer | string): PrintedHeaderValue {
  if (typeof value === 'string') return value;
  return isUtf8(value) && !hasControlCharacter(value)
    ? value.toString('utf8')
    : { base64: value.toString('base64') };
}

/**
 * The headers a line gives, as {@link printableHeaders} prints them; an error saying the shape
 * otherwise.
 */
export function parseHeaders(headers: unknown): IHeaders {
  const shape = `"headers" must be an object whose ${headerValuesHelp}, or arrays of them, e.g. {"origin": "shop"}`;
  if (!isObject(headers)) throw new Error(shape);
  const entries = Object.entries(headers).map(([name, value]) => {
    const parsed = Array.isArray(value)
      ? value.map((item) => parsePrintedValue(item))
      : parsePrintedValue(value);
    if (parsed === undefined || (Array.isArray(parsed) && parsed.includes(undefined))) throw new Error(shape);
    return [name, parsed as Buffer | string | (Buffer | string)[]] as const;
  });
  // Entries, not assignments: a header may be named __proto__.
  return Object.fromEntries(entries);
}

/** A header value (or a key) as a line gives it: text, or {"base64"} bytes; undefined if it is neither. */
export function parsePrintedValue(value: unknown): Buffer | string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const base64 = value['base64'];
  if (keys.length !== 1 || typeof base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    return undefined;
  }
  return Buffer.from(base64, 'base64');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
