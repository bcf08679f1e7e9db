import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, SchemaWireError } from '../errors.js';
import type { SchemaId } from '../schema.js';

/**
 * Apicurio Registry's header carrier: the body travels bare, and the header
 * `apicurio.value.globalId` or `apicurio.value.contentId` (`key` for keys) holds the id as an 8-byte
 * big-endian long.
 */

/** The Apicurio id headers of a value or key. */
export function apicurioHeaderNames(isKey: boolean): {
  readonly globalId: string;
  readonly contentId: string;
} {
  return isKey ? APICURIO_KEY_HEADERS : APICURIO_VALUE_HEADERS;
}

const APICURIO_VALUE_HEADERS = {
  globalId: 'apicurio.value.globalId',
  contentId: 'apicurio.value.contentId',
} as const;
const APICURIO_KEY_HEADERS = {
  globalId: 'apicurio.key.globalId',
  contentId: 'apicurio.key.contentId',
} as const;

/** An id as the 8-byte big-endian long Apicurio writes. */
export function encodeApicurioId(id: number): Buffer {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `cannot write apicurio id: ${describeValue(id)} is not a non-negative safe integer`,
    );
  }
  const out = Buffer.allocUnsafe(8);
  out.writeBigInt64BE(BigInt(id));
  return out;
}

/** Reads an Apicurio id header (8-byte big-endian long). */
export function decodeApicurioId(header: Uint8Array): number {
  if (header.length !== 8) {
    throw new SchemaWireError(
      ErrorCode.InvalidPayload,
      `cannot read apicurio id header: ${header.length} bytes, expected 8`,
    );
  }
  const value = Buffer.from(header.buffer, header.byteOffset, 8).readBigInt64BE();
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SchemaWireError(
      ErrorCode.InvalidPayload,
      `cannot read apicurio id header: ${value} is out of range`,
    );
  }
  return Number(value);
}

/** The schema id in Apicurio headers (globalId preferred, as it names one version), if there is one. */
export function readApicurioHeaders(
  lookup: (name: string) => Uint8Array | undefined,
  isKey: boolean,
): SchemaId | undefined {
  const names = apicurioHeaderNames(isKey);
  const globalId = lookup(names.globalId);
  if (globalId !== undefined) return { kind: 'globalId', globalId: decodeApicurioId(globalId) };
  const contentId = lookup(names.contentId);
  if (contentId !== undefined) return { kind: 'contentId', contentId: decodeApicurioId(contentId) };
  return undefined;
}
