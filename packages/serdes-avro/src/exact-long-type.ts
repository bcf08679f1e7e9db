import type { Longs } from '@schemawire/core-client';
import { describeValue } from '@schemawire/core-client';
import avsc from 'avsc';
import type { Tap } from './avsc-tap.js';

const TWO_POW_52 = 2 ** 52;
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Decimal text of a long: at most 19 digits, so that BigInt never parses a huge string. */
const LONG_TEXT = /^-?\d{1,19}$/;
/** A long takes at most 10 varint bytes; more can only be corrupt data. */
const MAX_LONG_BYTES = 10;

/**
 * avsc's long, exact over the whole 64-bit range. avsc computes the zigzag form in floating point,
 * one bit short for longs below -2^52: it writes -(2^52 + 1) as 2^52 and reads other writers' longs
 * in that range as the wrong number, without an error. Longs within ±2^52 keep avsc's fast path; the
 * rest go through bigints. Writes a safe integer number, a bigint or decimal text; reads a number
 * within ±(2^53 - 1) and a bigint beyond. The subclasses below read every long as a bigint or as
 * text. `_read` must not use `this`: avsc's resolvers call it on themselves.
 */
export class ExactLongType extends avsc.types.LongType {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: avsc.Type) => void): boolean {
    const valid = typeof value === 'number' ? Number.isSafeInteger(value) : longOf(value) !== undefined;
    if (!valid && hook !== undefined) hook(value, this);
    return valid;
  }

  _read(tap: Tap): number | bigint | string {
    const start = tap.pos;
    const value = tap.readLong();
    if (value > -TWO_POW_52 && value < TWO_POW_52) return value;
    const exact = readExactLong(tap.buf, start, tap.pos);
    return exact > MAX_SAFE || exact < -MAX_SAFE ? exact : Number(exact);
  }

  _write(tap: Tap, value: unknown): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new Error(`invalid "long": ${describeValue(value)}`);
      if (value >= -TWO_POW_52) tap.writeLong(value);
      else writeExactLong(tap, BigInt(value));
      return;
    }
    const long = longOf(value);
    if (long === undefined) throw new Error(`invalid "long": ${describeValue(value)}`);
    if (long >= -TWO_POW_52 && long <= MAX_SAFE) tap.writeLong(Number(long));
    else writeExactLong(tap, long);
  }

  /** avsc's own, with the reader of an int written where this long is read (schema resolution). */
  _update(resolver: { _read: (tap: Tap) => unknown }, type: avsc.Type): void {
    if (type.typeName === 'int') resolver._read = this._readInt;
    else if (type.typeName === 'long' || type.typeName === 'abstract:long') resolver._read = this._read;
  }

  /** An int read into this long. Must not use `this`, as `_read`. */
  _readInt(tap: Tap): number | bigint | string {
    return tap.readInt();
  }
}

/** A long read as a bigint, whatever its size. */
export class BigintLongType extends ExactLongType {
  override _read(tap: Tap): bigint {
    const start = tap.pos;
    const value = tap.readLong();
    if (value > -TWO_POW_52 && value < TWO_POW_52) return BigInt(value);
    return readExactLong(tap.buf, start, tap.pos);
  }

  override _readInt(tap: Tap): bigint {
    return BigInt(tap.readInt());
  }
}

/** A long read as its decimal text, whatever its size. */
export class TextLongType extends ExactLongType {
  override _read(tap: Tap): string {
    const start = tap.pos;
    const value = tap.readLong();
    if (value > -TWO_POW_52 && value < TWO_POW_52) return String(value);
    return readExactLong(tap.buf, start, tap.pos).toString();
  }

  override _readInt(tap: Tap): string {
    return String(tap.readInt());
  }
}

/** The long type that reads longs as `longs` says. */
export function exactLongType(longs: Longs): ExactLongType {
  switch (longs) {
    case 'bigint':
      return new BigintLongType();
    case 'string':
      return new TextLongType();
    default:
      return new ExactLongType();
  }
}

/** `value` as a bigint when it is a bigint or decimal text within the 64-bit range; else undefined. */
function longOf(value: unknown): bigint | undefined {
  let long: bigint;
  if (typeof value === 'bigint') long = value;
  else if (typeof value === 'string' && LONG_TEXT.test(value)) long = BigInt(value);
  else return undefined;
  return long >= MIN_LONG && long <= MAX_LONG ? long : undefined;
}

function readExactLong(buf: Buffer, start: number, end: number): bigint {
  if (end - start > MAX_LONG_BYTES) throw new Error(`invalid long: ${end - start} varint bytes`);
  let zigzag = 0n;
  for (let index = end - 1; index >= start; index--)
    zigzag = (zigzag << 7n) | BigInt((buf[index] ?? 0) & 0x7f);
  // Ten bytes hold 70 bits: a long is 64 of them, as other readers (Java's) take it.
  zigzag = BigInt.asUintN(64, zigzag);
  return (zigzag >> 1n) ^ -(zigzag & 1n);
}

function writeExactLong(tap: Tap, value: bigint): void {
  const { buf } = tap;
  let zigzag = value < 0n ? -2n * value - 1n : 2n * value;
  // Bytes past the end of the buffer are dropped while the position moves on: avsc then reports how
  // many bytes were missing, as for its own writes.
  while (zigzag > 0x7fn) {
    buf[tap.pos++] = Number(zigzag & 0x7fn) | 0x80;
    zigzag >>= 7n;
  }
  buf[tap.pos++] = Number(zigzag);
}
