import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, SchemaWireError } from '../errors.js';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes a GUID (`xxxxxxxx-xxxx-…`) as its 16 bytes into `target` at `offset`. */
export function writeGuid(target: Uint8Array, offset: number, guid: string): void {
  if (!GUID_PATTERN.test(guid)) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `cannot write schema guid: ${describeValue(guid)} is not a GUID`,
    );
  }
  const hex = guid.replaceAll('-', '');
  for (let i = 0; i < 16; i++) target[offset + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

/** Reads 16 bytes at `offset` as a lower-case GUID string. */
export function readGuid(source: Uint8Array, offset: number): string {
  // Checked here because a short view into Node's buffer pool would read its neighbours' bytes.
  if (!(offset >= 0 && source.length - offset >= 16)) {
    throw new SchemaWireError(
      ErrorCode.InvalidPayload,
      `cannot read schema guid: ${Math.max(source.length - offset, 0)} bytes at offset ${offset}, expected 16`,
    );
  }
  const hex = Buffer.from(source.buffer, source.byteOffset + offset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
