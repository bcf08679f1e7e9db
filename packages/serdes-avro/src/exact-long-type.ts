import { describeValue } from '@schemawire/core-client';
import avsc from 'avsc';
import type { Tap } from './avsc-tap.js';

const TWO_POW_52 = 2 ** 52;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** A long takes at most 10 varint bytes; more can only be corrupt data. */
const MAX_LONG_BYTES = 10;

/**
 * avsc's long, exact up to ±(2^53 - 1). avsc computes the zigzag form in floating point, one bit
 * short for longs below -2^52: it writes -(2^52 + 1) as 2^52 and reads other writers' longs in that
 * range as the wrong number, without an error. Longs within ±2^52 keep avsc's fast path; the rest go
 * through bigints. Longs beyond 2^53 are refused rather than rounded.
 */
export class ExactLongType extends avsc.types.LongType {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: avsc.Type) => void): boolean {
    const valid = typeof value === 'number' && Number.isSafeInteger(value);
    if (!valid && hook !== undefined) hook(value, this);
    return valid;
  }

  _read(tap: Tap): number {
    const start = tap.pos;
    const value = tap.readLong();
    if (value > -TWO_POW_52 && value < TWO_POW_52) return value;
    return readExactLong(tap.buf, start, tap.pos);
  }

  _write(tap: Tap, value: unknown): void {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new Error(`invalid "long": ${describeValue(value)}`);
    }
    if (value >= -TWO_POW_52) tap.writeLong(value);
    else writeExactLong(tap, value);
  }
}

function readExactLong(buf: Buffer, start: number, end: number): number {
  if (end - start > MAX_LONG_BYTES) throw new Error(`invalid long: ${end - start} varint bytes`);
  let zigzag = 0n;
  for (let index = end - 1; index >= start; index--)
    zigzag = (zigzag << 7n) | BigInt((buf[index] ?? 0) & 0x7f);
  const value = (zigzag >> 1n) ^ -(zigzag & 1n);
  if (value > MAX_SAFE || value < -MAX_SAFE)
    throw new Error(`long ${value} does not fit a javascript number exactly`);
  return Number(value);
}

function writeExactLong(tap: Tap, value: number): void {
  const { buf } = tap;
  let zigzag = -2n * BigInt(value) - 1n;
  // Bytes past the end of the buffer are dropped while the position moves on: avsc then reports how
  // many bytes were missing, as for its own writes.
  while (zigzag > 0x7fn) {
    buf[tap.pos++] = Number(zigzag & 0x7fn) | 0x80;
    zigzag >>= 7n;
  }
  buf[tap.pos++] = Number(zigzag);
}
