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
  let known = typesWithLongs.get(type);
  if (known === undefined) {
    known = false;
    const seen = new Set<protobuf.Type>();
    const pending = [type];
    for (let current = pending.pop(); current !== undefined && !known; current = pending.pop()) {
      if (seen.has(current)) continue;
      seen.add(current);
      if (current.fullName === '.google.protobuf.Any') known = true;
      for (const field of current.fieldsArray) {
        if (field.long) known = true;
        if (field.resolvedType instanceof protobuf.Type) pending.push(field.resolvedType);
      }
    }
    typesWithLongs.set(type, known);
  }
  return known;
}

function bigintOf({ low, high, unsigned }: Long): bigint {
  const top = BigInt(unsigned ? high >>> 0 : high);
  return (top << 32n) | BigInt(low >>> 0);
}

function numberOrBigintOf(long: Long): number | bigint {
  // Exact when the result is safe: a multiple of 2^32 plus less than 2^32, each exact in a double.
  const value = (long.unsigned ? long.high >>> 0 : long.high) * TWO_POW_32 + (long.low >>> 0);
  return Number.isSafeInteger(value) ? value : bigintOf(long);
}
