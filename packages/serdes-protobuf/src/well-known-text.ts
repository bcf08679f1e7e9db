/**
 * The text forms the proto3 JSON mapping gives the well-known types that JSON spells as a string:
 * Timestamp (RFC 3339), Duration ("1.500s") and FieldMask ("a.bC,eventId"), both ways, with the
 * ranges the mapping allows.
 */

/** Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, in seconds since the epoch. */
const MIN_TIMESTAMP = -62135596800n;
const MAX_TIMESTAMP = 253402300799n;
/** Duration range: ±10,000 years, in seconds. */
const MAX_DURATION = 315576000000n;
const MAX_NANOS = 999999999;
const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DURATION_TEXT = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

/**
 * A problem found while printing or reading a JSON form, with the path of field names to it; the
 * mapping's entry points turn it into a SchemaWireError.
 */
export class JsonMisfit extends Error {}

/** A problem at `path` (none at the top). */
export function misfit(path: string, detail: string): JsonMisfit {
  return new JsonMisfit(path === '' ? detail : `field ${JSON.stringify(path)}: ${detail}`);
}

/** A Timestamp's RFC 3339 text, in UTC with 0, 3, 6 or 9 fractional digits. */
export function timestampText(seconds: bigint, nanos: number, path: string): string {
  if (seconds < MIN_TIMESTAMP || seconds > MAX_TIMESTAMP) {
    throw misfit(path, `timestamp seconds ${seconds} are outside 0001-01-01 to 9999-12-31`);
  }
  if (nanos < 0 || nanos > MAX_NANOS) {
    throw misfit(path, `timestamp nanos ${nanos} are outside 0 to ${MAX_NANOS}`);
  }
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}${fraction(nanos)}Z`;
}

/** A Duration's text: seconds with 0, 3, 6 or 9 fractional digits and an `s`. */
export function durationText(seconds: bigint, nanos: number, path: string): string {
  if (seconds < -MAX_DURATION || seconds > MAX_DURATION) {
    throw misfit(path, `duration seconds ${seconds} are outside ±${MAX_DURATION}`);
  }
  if (nanos < -MAX_NANOS || nanos > MAX_NANOS || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw misfit(path, `duration nanos ${nanos} do not fit seconds ${seconds}`);
  }
  const negative = seconds < 0n || nanos < 0;
  const whole = negative ? -seconds : seconds;
  return `${negative ? '-' : ''}${whole}${fraction(Math.abs(nanos))}s`;
}

/** A FieldMask's text: its paths in lowerCamelCase, joined by commas. */
export function fieldMaskText(paths: readonly string[], path: string): string {
  return paths
    .map((maskPath) => {
      const camel = maskPath.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
      if (snakeOf(camel) !== maskPath) {
        throw misfit(path, `field mask path ${JSON.stringify(maskPath)} has no lowerCamelCase form`);
      }
      return camel;
    })
    .join(',');
}

/** The seconds and nanos of RFC 3339 text, at any UTC offset. */
export function readTimestamp(text: string, path: string): [bigint, number] {
  const match = TIMESTAMP_TEXT.exec(text);
  const bad = (why: string) =>
    misfit(path, `timestamp ${JSON.stringify(text)} is not RFC 3339 text from 0001 to 9999 (${why})`);
  if (match === null) throw bad('expected like "1972-01-01T10:00:20.021Z"');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.UTC reads years below 100 as 19xx; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    throw bad('no such date or time');
  }
  const offsetMinutes =
    match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]));
  const seconds = BigInt(date.getTime() / 1000) - BigInt(offsetMinutes * 60);
  if (seconds < MIN_TIMESTAMP || seconds > MAX_TIMESTAMP) throw bad('out of range');
  return [seconds, nanosOf(match[7])];
}

/** The seconds and nanos of Duration text, both with its sign. */
export function readDuration(text: string, path: string): [bigint, number] {
  const match = DURATION_TEXT.exec(text);
  if (match === null) throw misfit(path, `duration ${JSON.stringify(text)} is not seconds like "1.5s"`);
  const sign = match[1] === '-' ? -1 : 1;
  const seconds = BigInt(match[2]!);
  if (seconds > MAX_DURATION) {
    throw misfit(path, `duration ${JSON.stringify(text)} is beyond ±${MAX_DURATION}s`);
  }
  // -0 would print as "-0": the nanos carry the sign when the seconds are 0.
  return [sign < 0 ? -seconds : seconds, sign * nanosOf(match[3]) || 0];
}

/** The paths of FieldMask text, in the .proto files' snake_case. */
export function fieldMaskPaths(text: string, path: string): string[] {
  const paths = text === '' ? [] : text.split(',');
  for (const maskPath of paths) {
    if (!/^[A-Za-z0-9.]+$/.test(maskPath) || /(^|\.)[A-Z0-9]/.test(maskPath)) {
      throw misfit(path, `field mask path ${JSON.stringify(maskPath)} is not lowerCamelCase field names`);
    }
  }
  return paths.map(snakeOf);
}

/** Nanoseconds as the mapping prints them: no digits, or 3, 6 or 9. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  if (nanos % 1_000_000 === 0) return `.${digits.slice(0, 3)}`;
  if (nanos % 1000 === 0) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}

function nanosOf(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.padEnd(9, '0'));
}

function snakeOf(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
