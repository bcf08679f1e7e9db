import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';

/** The text encodings bytes take on the command line. */
export const bytesEncodings = ['base64', 'hex'] as const;

/** One of {@link bytesEncodings}. */
export type BytesEncoding = (typeof bytesEncodings)[number];

// Buffer.from ignores characters it does not know, so garbage would decode to some other bytes.
const PATTERNS: Readonly<Record<BytesEncoding, RegExp>> = {
  base64: /^[A-Za-z0-9+/_-]*={0,2}$/,
  hex: /^(?:[0-9a-fA-F]{2})*$/,
};

/** `bytes` as text. */
export function formatBytes(bytes: Uint8Array, encoding: BytesEncoding): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}

/** The bytes `text` spells; SCHEMAWIRE_INVALID_PAYLOAD naming `what` when it is not valid `encoding`. */
export function parseBytes(text: string, encoding: BytesEncoding, what: string): Buffer {
  if (!PATTERNS[encoding].test(text)) {
    throw new SchemaWireError(
      ErrorCode.InvalidPayload,
      `cannot read ${what}: ${describeValue(text)} is not ${encoding}`,
    );
  }
  return Buffer.from(text, encoding);
}
