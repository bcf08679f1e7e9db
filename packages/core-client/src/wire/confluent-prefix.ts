import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, SchemaWireError } from '../errors.js';

/**
 * The Confluent payload prefix: magic byte 0x00, the schema id as a 4-byte big-endian integer, then
 * (Protobuf only) the message indexes, then the body.
 */

/** The magic byte that opens a Confluent-framed payload. */
export const CONFLUENT_MAGIC_BYTE = 0x00;
/** Bytes of the magic byte and the schema id. */
export const CONFLUENT_PREFIX_SIZE = 5;

/** Writes the magic byte and `id` into the first five bytes of `target`. */
export function writeConfluentPrefix(target: Uint8Array, id: number): void {
  target[0] = CONFLUENT_MAGIC_BYTE;
  writeSchemaId(target, 1, id);
}

/** Writes a schema id as the 4-byte big-endian unsigned integer Confluent frames use. */
export function writeSchemaId(target: Uint8Array, offset: number, id: number): void {
  assertSchemaId(id);
  target[offset] = id >>> 24;
  target[offset + 1] = (id >>> 16) & 0xff;
  target[offset + 2] = (id >>> 8) & 0xff;
  target[offset + 3] = id & 0xff;
}

/** Reads the 4-byte big-endian schema id at `offset` (the caller checks the length). */
export function readSchemaId(source: Uint8Array, offset: number): number {
  return (
    ((source[offset]! << 24) |
      (source[offset + 1]! << 16) |
      (source[offset + 2]! << 8) |
      source[offset + 3]!) >>>
    0
  );
}

/** A new payload: the prefix for `id` followed by `body`. */
export function encodeConfluentPrefix(id: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(CONFLUENT_PREFIX_SIZE + body.length);
  writeConfluentPrefix(out, id);
  out.set(body, CONFLUENT_PREFIX_SIZE);
  return out;
}

/** True when `payload` opens with the magic byte and is long enough to hold an id. */
export function hasConfluentPrefix(payload: Uint8Array): boolean {
  return payload.length >= CONFLUENT_PREFIX_SIZE && payload[0] === CONFLUENT_MAGIC_BYTE;
}

/**
 * The schema id of a Confluent-framed payload; the body (with any message indexes) starts at
 * {@link CONFLUENT_PREFIX_SIZE}. SCHEMAWIRE_UNKNOWN_MAGIC_BYTE or SCHEMAWIRE_INVALID_PAYLOAD otherwise.
 */
export function readConfluentPrefix(payload: Uint8Array): number {
  if (payload.length === 0) {
    throw new SchemaWireError(ErrorCode.InvalidPayload, 'cannot read schema id: the payload is empty');
  }
  if (payload[0] !== CONFLUENT_MAGIC_BYTE) {
    throw new SchemaWireError(
      ErrorCode.UnknownMagicByte,
      `cannot read schema id: first byte is 0x${payload[0]!.toString(16).padStart(2, '0')}, not the magic byte 0x00`,
    );
  }
  if (payload.length < CONFLUENT_PREFIX_SIZE) {
    throw new SchemaWireError(
      ErrorCode.InvalidPayload,
      `cannot read schema id: the payload has ${payload.length} bytes, fewer than the ${CONFLUENT_PREFIX_SIZE} of the prefix`,
    );
  }
  return readSchemaId(payload, 1);
}

function assertSchemaId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `cannot write schema id: ${describeValue(id)} is not a 32-bit unsigned integer`,
    );
  }
}
