import type { Longs } from '@schemawire/core-client';
import protobuf from 'protobufjs';

/** A protobufjs Long: what `toObject` gives for a 64-bit field when `longs` is neither String nor Number. */
interface Long {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}

/** Turns a Long into the form decoded objects carry. */
export type LongConverter = (long: Long) => unknown;

const TWO_POW_32 = 2 ** 32;
/** The `long` package's check, which protobufjs's types leave out. */
const { isLong } = protobuf.util.Long as unknown as { isLong(value: unknown): boolean };

/**
 * The converter of Longs for `longs`, or undefined for `string`, which protobufjs's own `longs:
 * String` does.
 */
export function longConverter(longs: Longs): LongConverter | undefined {
  switch (longs) {
    case 'bigint':
      return bigintOf;
    case 'number-or-bigint':
      return numberOrBigintOf;
    default:
      return undefined;
  }
}

/** What Longs become in the proto3 JSON form: as {@link longConverter} says, and decimal text for `string`. */
export function jsonLongConverter(longs: Longs): LongConverter {
  return longConverter(longs) ?? textOf;
}

/** `toObject` options that give Longs to convert (`bigint`, `number-or-bigint`) or decimal text (`string`). */
export function toObjectWithLongs(
  toObject: protobuf.IConversionOptions,
  longs: Longs,
): protobuf.IConversionOptions {
  const { longs: _, ...others } = toObject;
  return longs === 'string' ? { ...others, longs: String } : others;
}

/** Replaces, in place, every Long of an object `toObject` made; only such fresh objects are passed. */
export function convertLongs(value: unknown, convert: LongConverter): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (isLong(value)) return convert(value as Long);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = convertLongs(value[i], convert);
  } else {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = convertLongs(object[key], convert);
  }
  return value;
}

const typesWithLongs = new WeakMap<protobuf.Type, boolean>();

/**
 * Whether messages of `type` may hold a 64-bit integer: in a field of theirs or of a message at any
 * depth, or in an Any, which may hold any message. Only such messages are searched for Longs.
 */
export function reachesLongs(type: protobuf.Type): boolean {
  return reachesField(
    type,
    (field) => field.long || field.parent?.fullName === '.google.protobuf.Any',
    typesWithLongs,
  );
}

/**
 * Whether a field of `type`, or of a message type its fields reach at any depth, passes `test`;
 * kept in `known` per type.
 */
function reachesField(
  type: protobuf.Type,
  test: (field: protobuf.Field) => boolean,
  known: WeakMap<protobuf.Type, boolean>,
): boolean {
  let found = known.get(type);
  if (found === undefined) {
    found = false;
    const seen = new Set<protobuf.Type>();
    const pending = [type];
    for (let current = pending.pop(); current !== undefined && !found; current = pending.pop()) {
      if (seen.has(current)) continue;
      seen.add(current);
      for (const field of current.fieldsArray) {
        if (test(field)) found = true;
        if (field.resolvedType instanceof protobuf.Type) pending.push(field.resolvedType);
      }
    }
    known.set(type, found);
  }
  return found;
}

function bigintOf({ low, high, unsigned }: Long): bigint {
  const top = BigInt(unsigned ? high >>> 0 : high);
  return (top << 32n) | BigInt(low >>> 0);
}

function textOf(long: Long): string {
  return bigintOf(long).toString();
}

function numberOrBigintOf(long: Long): number | bigint {
  // Exact when the result is safe: a multiple of 2^32 plus less than 2^32, each exact in a double.
  const value = (long.unsigned ? long.high >>> 0 : long.high) * TWO_POW_32 + (long.low >>> 0);
  return Number.isSafeInteger(value) ? value : bigintOf(long);
}

const LONG_KEY_TYPES = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);
const typesWithLongKeys = new WeakMap<protobuf.Type, boolean>();

/** Whether messages of `type` may hold a map with 64-bit keys, in a field of theirs or at any depth. */
export function reachesLongKeys(type: protobuf.Type): boolean {
  return reachesField(type, isLongKeyed, typesWithLongKeys);
}

/**
 * The text of a key of a map protobufjs decoded: 64-bit keys, which it keys by an 8-character hash
 * of their bits, in decimal; others as they are.
 */
export function mapKeyText(keyType: string, key: string): string {
  if (!LONG_KEY_TYPES.has(keyType)) return key;
  return String(protobuf.util.longFromHash(key, keyType === 'uint64' || keyType === 'fixed64'));
}

function isLongKeyed(field: protobuf.Field): boolean {
  return field instanceof protobuf.MapField && LONG_KEY_TYPES.has(field.keyType);
}

/**
 * Rewrites, in place, the keys of 64-bit-keyed maps in an object `toObject` made of a message of
 * `type` into decimal text: protobufjs 7 leaves them as its 8-character hashes of the key's bits.
 */
export function decimalLongKeys(type: protobuf.Type, object: Record<string, unknown>): void {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (typeof value !== 'object' || value === null) continue;
    if (isLongKeyed(field)) {
      const { keyType } = field as unknown as protobuf.MapField;
      const decimal: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) decimal[mapKeyText(keyType, key)] = item;
      object[field.name] = decimal;
    }
    const nested = field.resolvedType;
    if (!(nested instanceof protobuf.Type) || !reachesLongKeys(nested)) continue;
    const current = object[field.name] as object;
    const items = field.map ? Object.values(current) : field.repeated ? (current as unknown[]) : [current];
    for (const item of items) {
      if (typeof item === 'object' && item !== null) decimalLongKeys(nested, item as Record<string, unknown>);
    }
  }
}
