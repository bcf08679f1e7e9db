import { Buffer } from 'node:buffer';
import avsc from 'avsc';
import { formatIsoDate, formatIsoTimestamp, parseIsoDate, parseIsoTimestamp } from './calendar.js';

/** A schema as avsc's type constructors take it. */
export type AvroSchema = ConstructorParameters<typeof avsc.types.LogicalType>[0];

/** A logical type class, as avsc's `logicalTypes` option takes it. */
export type LogicalTypeClass = typeof avsc.types.LogicalType;

type Conversion = (value: unknown) => unknown;
type ResolverOptions = Parameters<avsc.Type['createResolver']>[1];

const MS_PER_DAY = 86_400_000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

const keep: Conversion = (value) => value;

/**
 * What the built-in logical types share: each checks its underlying type, so that a schema putting it
 * on another one falls back to the plain type (the Avro spec's rule for invalid logical types; avsc
 * does the falling back when the constructor throws), and each resolves data written with the same
 * logical type or with its underlying type. Another logical type's data does not resolve: reading
 * micros as millis would silently move every timestamp.
 */
export abstract class BuiltInLogicalType extends avsc.types.LogicalType {
  /**
   * The JSON form of a value this type decoded (readable text for dates and times), which `_toValue`
   * takes back; values already JSON data are their own.
   */
  jsonForm(value: unknown): unknown {
    return value;
  }

  protected requireUnderlying(...typeNames: string[]): void {
    if (!typeNames.includes(this.underlyingType.typeName)) {
      throw new Error(`${this.typeName} cannot annotate ${JSON.stringify(this.underlyingType.typeName)}`);
    }
  }

  protected sameAs(writer: avsc.Type): boolean {
    return writer.typeName === this.typeName;
  }

  protected override _resolve(writer: avsc.Type, options?: ResolverOptions): Conversion | undefined {
    if (avsc.Type.isType(writer, 'logical')) return this.sameAs(writer) ? keep : undefined;
    const underlying = this.underlyingType;
    // The converters take the underlying type's values; of Avro's promotions only int -> long keeps
    // that representation (string -> bytes would hand a Buffer to a string converter).
    const promoted = writer.typeName === 'int' && underlying.typeName === 'long';
    if (writer.typeName !== underlying.typeName && !promoted) return undefined;
    try {
      underlying.createResolver(writer, options);
    } catch {
      return undefined;
    }
    return (value) => this._fromValue(value);
  }
}

/** `timestamp-millis` on long, read as a `Date`; written from a `Date`, an ISO 8601 string or epoch millis. */
class TimestampMillisType extends BuiltInLogicalType {
  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.requireUnderlying('long');
  }

  protected override _fromValue(millis: number | bigint): Date {
    return new Date(Number(millis));
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return dateMillis(value);
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
    if (typeof value !== 'string') return undefined;
    const millis = parseIsoTimestamp(value, 3, true);
    return millis === undefined ? undefined : safeNumber(millis);
  }

  override jsonForm(value: unknown): unknown {
    const millis = value instanceof Date ? dateMillis(value) : undefined;
    return millis === undefined ? value : formatIsoTimestamp(millis, 3, true);
  }
}

/**
 * `timestamp-micros` on long, read as a number of microseconds since the epoch (a `Date` would drop
 * the microseconds), a bigint beyond about 285 years of 1970; written from such a number or bigint, a
 * `Date` or an ISO 8601 string.
 */
class TimestampMicrosType extends BuiltInLogicalType {
  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.requireUnderlying('long');
  }

  protected override _fromValue(micros: number | bigint): number | bigint {
    return micros;
  }

  protected override _toValue(value: unknown): number | bigint | undefined {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
    // The underlying long checks its range.
    if (typeof value === 'bigint') return value;
    if (value instanceof Date) {
      const millis = dateMillis(value);
      return millis === undefined ? undefined : safeNumber(BigInt(millis) * 1000n);
    }
    if (typeof value !== 'string') return undefined;
    const micros = parseIsoTimestamp(value, 6, true);
    return micros === undefined ? undefined : exactLong(micros);
  }

  override jsonForm(value: unknown): unknown {
    return typeof value === 'number' || typeof value === 'bigint'
      ? formatIsoTimestamp(value, 6, true)
      : value;
  }
}

/** `date` on int, read as a `Date` at UTC midnight; written from such a `Date` or a `YYYY-MM-DD` string. */
class DateType extends BuiltInLogicalType {
  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.requireUnderlying('int');
  }

  protected override _fromValue(days: number): Date {
    return new Date(days * MS_PER_DAY);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (typeof value === 'string') return parseIsoDate(value);
    if (!(value instanceof Date)) return undefined;
    const millis = dateMillis(value);
    // A time of day would be dropped, and is most often a local midnight that names another UTC day.
    return millis !== undefined && millis % MS_PER_DAY === 0 ? millis / MS_PER_DAY : undefined;
  }

  override jsonForm(value: unknown): unknown {
    const millis = value instanceof Date ? dateMillis(value) : undefined;
    return millis === undefined ? value : formatIsoDate(Math.floor(millis / MS_PER_DAY));
  }
}

/** `uuid` on string: written only when it is a UUID; read as is, so data from laxer writers stays readable. */
class UuidType extends BuiltInLogicalType {
  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.requireUnderlying('string');
  }

  protected override _fromValue(text: string): string {
    return text;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }
}

/**
 * `decimal` on bytes or fixed, read as a decimal string with `scale` fraction digits ("-12.34"), so no
 * digit is lost to floating point; written from such a string (an exponent is allowed), a number or a
 * bigint (the integer value). Values with more than `precision` digits, or with fraction digits the
 * scale would round away, are rejected.
 */
export class DecimalType extends BuiltInLogicalType {
  readonly precision: number;
  readonly scale: number;
  readonly #size: number | undefined;
  readonly #limit: bigint;

  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.requireUnderlying('bytes', 'fixed');
    const { precision, scale = 0 } = schema as { precision?: unknown; scale?: unknown };
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
      throw new Error(`invalid decimal precision: ${JSON.stringify(precision)}`);
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error(`invalid decimal scale: ${JSON.stringify(scale)}`);
    }
    const underlying = this.underlyingType;
    this.#size = avsc.Type.isType(underlying, 'fixed')
      ? (underlying as avsc.types.FixedType).size
      : undefined;
    if (this.#size !== undefined && precision > Math.floor((8 * this.#size - 1) * Math.log10(2))) {
      throw new Error(`decimal precision ${precision} does not fit in ${this.#size} bytes`);
    }
    this.precision = precision;
    this.scale = scale;
    this.#limit = 10n ** BigInt(precision);
  }

  protected override sameAs(writer: avsc.Type): boolean {
    return (
      writer instanceof DecimalType && writer.precision === this.precision && writer.scale === this.scale
    );
  }

  protected override _fromValue(bytes: Buffer): string {
    return formatDecimal(fromTwosComplement(bytes), this.scale);
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    const unscaled = unscaledDecimal(value, this.scale, this.precision);
    if (unscaled === undefined || unscaled >= this.#limit || unscaled <= -this.#limit) return undefined;
    return twosComplement(unscaled, this.#size);
  }

  protected override _export(schema: AvroSchema): void {
    Object.assign(schema as object, { precision: this.precision, scale: this.scale });
  }
}

/** The attributes Avro itself defines; the others on a schema with an unknown logical type are its parameters. */
const AVRO_ATTRIBUTES = new Set([
  'type',
  'name',
  'namespace',
  'aliases',
  'doc',
  'fields',
  'symbols',
  'items',
  'values',
  'size',
  'default',
  'order',
  'logicalType',
]);

/**
 * Keeps a logical type this format does not know, with its parameters, in a normalized schema; avsc
 * would drop it, and two schemas differing only in it would compare equal. Values pass through.
 */
export class UnknownLogicalType extends avsc.types.LogicalType {
  readonly #parameters: Record<string, unknown>;

  constructor(schema: AvroSchema, options?: unknown) {
    super(schema, options);
    this.#parameters = Object.fromEntries(
      Object.entries(schema as object).filter(([attribute]) => !AVRO_ATTRIBUTES.has(attribute)),
    );
  }

  protected override _fromValue(value: unknown): unknown {
    return value;
  }

  protected override _toValue(value: unknown): unknown {
    return value;
  }

  protected override _resolve(writer: avsc.Type): Conversion | undefined {
    return writer.typeName === this.typeName ? keep : undefined;
  }

  protected override _export(schema: AvroSchema): void {
    Object.assign(schema as object, this.#parameters);
  }
}

/** The logical types every Avro format applies, by name. */
export const builtInLogicalTypes: Readonly<Record<string, LogicalTypeClass>> = {
  'timestamp-millis': TimestampMillisType,
  'timestamp-micros': TimestampMicrosType,
  date: DateType,
  uuid: UuidType,
  decimal: DecimalType,
};

/** A long as a number where a number holds it exactly, else as the bigint, as the long type reads it. */
export function exactLong(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** `value` as a number when a number holds it exactly; else undefined. */
function safeNumber(value: bigint): number | undefined {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : undefined;
}

function dateMillis(date: Date): number | undefined {
  const millis = date.getTime();
  return Number.isNaN(millis) ? undefined : millis;
}

/**
 * The integer `value` stands for at `scale` (12.34 at scale 2 -> 1234), or undefined when it is no
 * decimal, has more than `precision` digits or has non-zero digits below the scale.
 */
function unscaledDecimal(value: unknown, scale: number, precision: number): bigint | undefined {
  if (typeof value === 'bigint') return value * 10n ** BigInt(scale);
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return undefined;
  // String(number) is the shortest text that reads back as the same number: what the caller meant.
  const match = DECIMAL.exec(String(value));
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return 0n;
  const shift = scale - fraction.length + Number(exponent);
  if (shift < 0) {
    const kept = digits.length + shift;
    if (kept <= 0 || !/^0*$/.test(digits.slice(kept))) return undefined;
    digits = digits.slice(0, kept);
  } else if (digits.length + shift > precision) {
    // Checked before multiplying, so "1e999999999" costs nothing.
    return undefined;
  }
  const unscaled = BigInt(digits) * 10n ** BigInt(Math.max(shift, 0));
  return sign === '-' ? -unscaled : unscaled;
}

/** Big-endian two's complement, in as few bytes as hold `value` or in exactly `size`; undefined if too big. */
function twosComplement(value: bigint, size: number | undefined): Buffer | undefined {
  let length = 1;
  while (value >= 1n << BigInt(length * 8 - 1) || value < -(1n << BigInt(length * 8 - 1))) length++;
  if (size !== undefined) {
    if (length > size) return undefined;
    length = size;
  }
  return Buffer.from(
    BigInt.asUintN(length * 8, value)
      .toString(16)
      .padStart(length * 2, '0'),
    'hex',
  );
}

function fromTwosComplement(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt.asIntN(bytes.length * 8, BigInt(`0x${bytes.toString('hex')}`));
}

function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
