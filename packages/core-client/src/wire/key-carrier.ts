import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, SchemaWireError } from '../errors.js';

/**
 * The key carrier: the value travels bare and the value's schema id travels in the message key. How
 * the id is written into the key is pluggable; the default writes it as decimal UTF-8 text.
 */
export interface KeyIdCodec {
  /** The key bytes that carry `schemaId`. */
  encode(schemaId: number): Buffer;
  /** The schema id a key carries, or undefined when the key carries none. */
  decode(key: Uint8Array): number | undefined;
}

const DECIMAL = /^(0|[1-9][0-9]{0,9})$/;

/** The default key codec: the key's UTF-8 text is the decimal schema id, e.g. `"42"`. */
export const decimalKeyIdCodec: KeyIdCodec = {
  encode(schemaId: number): Buffer {
    if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot write schema id key: ${describeValue(schemaId)} is not a schema id`,
      );
    }
    return Buffer.from(String(schemaId), 'utf8');
  },
  decode(key: Uint8Array): number | undefined {
    if (key.length === 0 || key.length > 10) return undefined;
    const text = Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
    if (!DECIMAL.test(text)) return undefined;
    const id = Number(text);
    return id <= 0xffffffff ? id : undefined;
  },
};
