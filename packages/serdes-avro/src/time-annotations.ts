import type avsc from 'avsc';
import type { FractionDigits } from './calendar.js';
import { formatIsoTime, formatIsoTimestamp, parseIsoTime, parseIsoTimestamp } from './calendar.js';
import { exactLong } from './logical-types.js';

/**
 * A time logical type read as its plain int or long (values stay the counts other writers wrote):
 * the unit, and whether the count is an instant, a local timestamp (no zone) or a time of day.
 */
interface TimeAnnotation {
  readonly digits: FractionDigits;
  readonly kind: 'instant' | 'local' | 'time';
  readonly underlying: 'int' | 'long';
}

const timeAnnotations: Readonly<Record<string, TimeAnnotation>> = {
  'time-millis': { digits: 3, kind: 'time', underlying: 'int' },
  'time-micros': { digits: 6, kind: 'time', underlying: 'long' },
  'timestamp-nanos': { digits: 9, kind: 'instant', underlying: 'long' },
  'local-timestamp-millis': { digits: 3, kind: 'local', underlying: 'long' },
  'local-timestamp-micros': { digits: 6, kind: 'local', underlying: 'long' },
  'local-timestamp-nanos': { digits: 9, kind: 'local', underlying: 'long' },
};

// avsc freezes its types, so what they stand for is kept beside them.
const annotated = new WeakMap<avsc.Type, TimeAnnotation>();

/** `type`, remembered as the time `logicalType` names when that is one of these on `type`'s kind. */
export function annotateTime<T extends avsc.Type>(type: T, logicalType: unknown): T {
  const annotation = typeof logicalType === 'string' ? timeAnnotations[logicalType] : undefined;
  if (annotation?.underlying === type.typeName) annotated.set(type, annotation);
  return type;
}

/**
 * The JSON form of a count `type` decoded when `type` is an annotated time: ISO 8601 text with every
 * digit of its unit. Counts that are no time of day stay counts.
 */
export function timeJsonForm(type: avsc.Type, value: unknown): unknown {
  const annotation = annotated.get(type);
  if (annotation === undefined) return value;
  // Decimal text is how longs come with `longs: 'string'`.
  const count = typeof value === 'string' ? BigInt(value) : value;
  if (typeof count !== 'number' && typeof count !== 'bigint') return value;
  if (annotation.kind === 'time') return formatIsoTime(Number(count), annotation.digits) ?? value;
  return formatIsoTimestamp(count, annotation.digits, annotation.kind === 'instant');
}

/** The count the JSON form of an annotated time stands for; other values as they are, for encode to judge. */
export function timeFromJson(type: avsc.Type, value: unknown): unknown {
  const annotation = annotated.get(type);
  if (annotation === undefined || typeof value !== 'string') return value;
  const { digits, kind } = annotation;
  const count =
    kind === 'time' ? parseIsoTime(value, digits) : parseIsoTimestamp(value, digits, kind === 'instant');
  if (count === undefined) return value;
  return typeof count === 'bigint' ? exactLong(count) : count;
}
