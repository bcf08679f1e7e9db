import { describeValue } from '@schemawire/core-client';
import avsc from 'avsc';
import type { Tap } from './avsc-tap.js';

/**
 * Strings up to this many bytes are decoded here when they are ASCII; above it, Buffer#utf8Slice is
 * as fast (measured on Node 24: a quarter of the time for 8 bytes, the same for 16, twice for 32).
 */
const MAX_DECODED_HERE = 16;

/**
 * Strings up to this many characters are written here when they are ASCII: their length fits one
 * varint byte, and avsc's writer first asks Buffer.byteLength, a call into C++ that costs more than
 * writing a short string does.
 */
const MAX_WRITTEN_HERE = 63;

/** Buffer's UTF-8 decoder without toString's argument handling, which avsc uses too. */
interface Utf8Slicing {
  utf8Slice(start: number, end: number): string;
}

/**
 * Reads a string as avsc's `Tap#readString` does, byte for byte: the same value, position and
 * failures (a negative length invalidates the cursor, a length past the end leaves it past the end).
 * avsc hands every string to Buffer#utf8Slice, a call into C++ that costs more than decoding a short
 * string does (avsc writes short strings in JavaScript for the same reason); a short string whose
 * bytes are all ASCII is decoded here instead, any other one still by utf8Slice.
 */
export function readString(tap: Tap): string | undefined {
  const length = tap.readLong();
  if (length < 0) {
    tap._invalidate();
    return '';
  }
  const { buf } = tap;
  const start = tap.pos;
  const end = start + length;
  tap.pos = end;
  if (end > buf.length) return undefined;
  if (length > MAX_DECODED_HERE) return (buf as Buffer & Utf8Slicing).utf8Slice(start, end);
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const byte = buf[start + i]!;
    if (byte > 0x7f) return (buf as Buffer & Utf8Slicing).utf8Slice(start, end);
    codes[i] = byte;
  }
  return String.fromCharCode(...codes);
}

/**
 * Writes a string as avsc's `Tap#writeString` does, byte for byte, writing a short ASCII string here
 * (see {@link MAX_WRITTEN_HERE}) and handing any other to avsc, as a string that does not fit the
 * buffer: avsc then moves the position past the end, which tells the caller how many bytes were
 * missing.
 */
export function writeString(tap: Tap & { writeString(value: string): void }, value: string): void {
  const length = value.length;
  const { buf } = tap;
  const start = tap.pos;
  if (length > MAX_WRITTEN_HERE || start + 1 + length > buf.length) {
    tap.writeString(value);
    return;
  }
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) {
      tap.writeString(value);
      return;
    }
    buf[start + 1 + i] = code;
  }
  // The zigzag varint of a length below 64: one byte.
  buf[start] = length << 1;
  tap.pos = start + 1 + length;
}

/** avsc's string type, reading with {@link readString} and writing with {@link writeString}. */
export class ShortStringType extends avsc.types.StringType {
  _read(tap: Tap): string | undefined {
    return readString(tap);
  }

  _write(tap: Tap & { writeString(value: string): void }, value: unknown): void {
    if (typeof value !== 'string') throw new Error(`invalid "string": ${describeValue(value)}`);
    writeString(tap, value);
  }
}
