import { Buffer } from 'node:buffer';
import { ErrorCode, SchemaWireError } from '../errors.js';

/**
 * Protobuf message indexes as Confluent frames them after the schema id: a zig-zag varint count, then
 * one zig-zag varint per index of the path to the message in its file. The common case, the first
 * top-level message `[0]`, is written as the single byte 0x00 (count 0); decoding accepts both that and
 * the long form `02 00`.
 */

/** The indexes of a file's first message, as `00` on the wire gives them. */
export const FIRST_MESSAGE: readonly number[] = Object.freeze([0]);
// Confluent reads indexes as 32-bit ints; a larger one would take bytes no reader (this one included) accepts.
const MAX_INDEX = 0x7fffffff;

/** The number of bytes {@link writeMessageIndexes} writes for `indexes`. */
export function messageIndexesSize(indexes: readonly number[]): number {
  if (isFirstMessage(indexes)) return 1;
  let size = varintSize(zigzag(indexes.length));
  for (const index of indexes) size += varintSize(zigzag(index));
  return size;
}

/** Writes `indexes` into `target` at `offset`; returns the offset after them. */
export function writeMessageIndexes(target: Uint8Array, offset: number, indexes: readonly number[]): number {
  if (isFirstMessage(indexes)) {
    target[offset] = 0;
    return offset + 1;
  }
  let at = writeVarint(target, offset, zigzag(indexes.length));
  for (const index of indexes) {
    if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot write message indexes: ${JSON.stringify(index)} is not a message index`,
      );
    }
    at = writeVarint(target, at, zigzag(index));
  }
  return at;
}

/** Encodes `indexes` on their own. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(messageIndexesSize(indexes));
  writeMessageIndexes(out, 0, indexes);
  return out;
}

/** Reads message indexes at `offset`; returns them and the offset after them. */
export function readMessageIndexes(
  source: Uint8Array,
  offset: number,
): { readonly indexes: readonly number[]; readonly offset: number } {
  let [count, at] = readVarint(source, offset);
  count = unzigzag(count);
  if (count === 0) return { indexes: FIRST_MESSAGE, offset: at };
  // Each index takes at least one byte: a count beyond the bytes left is corrupt, not a reason to allocate.
  if (count < 0 || count > source.length - at) {
    throw invalid(`message index count ${count} does not fit the ${source.length - at} bytes left`);
  }
  const indexes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let value: number;
    [value, at] = readVarint(source, at);
    const index = unzigzag(value);
    if (index < 0) throw invalid(`message index ${index} is negative`);
    indexes[i] = index;
  }
  return { indexes, offset: at };
}

function isFirstMessage(indexes: readonly number[]): boolean {
  return indexes.length === 0 || (indexes.length === 1 && indexes[0] === 0);
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(target: Uint8Array, offset: number, n: number): number {
  let at = offset;
  while (n >= 0x80) {
    target[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  target[at++] = n;
  return at;
}

// Indexes are small; five bytes (35 bits) is more than any real file needs and bounds the loop.
function readVarint(source: Uint8Array, offset: number): [number, number] {
  let result = 0;
  let multiplier = 1;
  for (let at = offset; at < offset + 5; at++) {
    const byte = source[at];
    if (byte === undefined) throw invalid('message indexes end before their last byte');
    result += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return [result, at + 1];
    multiplier *= 128;
  }
  throw invalid('a message index varint is longer than 5 bytes');
}

function invalid(detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.InvalidPayload, `cannot read message indexes: ${detail}`);
}
