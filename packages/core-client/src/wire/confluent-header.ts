import { Buffer } from 'node:buffer';
import { ErrorCode, SchemaWireError } from '../errors.js';
import type { SchemaId } from '../schema.js';
import { readSchemaId, writeSchemaId } from './confluent-prefix.js';
import { readGuid, writeGuid } from './guid.js';
import { messageIndexesSize, writeMessageIndexes } from './message-indexes.js';

/**
 * The Confluent header carrier: the body travels bare, and the header `__value_schema_id` (or
 * `__key_schema_id`) holds 0x01 followed by the schema's 16-byte GUID, or 0x00 followed by the 4-byte
 * id for registries without GUIDs (Confluent's deserializers read both), then (Protobuf only) the
 * message indexes.
 */

/** Header that carries the schema id of the value. */
export const CONFLUENT_VALUE_SCHEMA_ID_HEADER = '__value_schema_id';
/** Header that carries the schema id of the key. */
export const CONFLUENT_KEY_SCHEMA_ID_HEADER = '__key_schema_id';
/** First byte of a header that holds a GUID. */
export const CONFLUENT_HEADER_GUID_VERSION = 0x01;
/** First byte of a header that holds a 4-byte id. */
export const CONFLUENT_HEADER_ID_VERSION = 0x00;

/**
 * The header value naming a schema by GUID (a string) or by numeric id, with message indexes when
 * given.
 */
export function encodeConfluentHeader(schema: string | number, messageIndexes?: readonly number[]): Buffer {
  const idSize = typeof schema === 'string' ? 17 : 5;
  const indexesSize = messageIndexes === undefined ? 0 : messageIndexesSize(messageIndexes);
  const out = Buffer.allocUnsafe(idSize + indexesSize);
  if (typeof schema === 'string') {
    out[0] = CONFLUENT_HEADER_GUID_VERSION;
    writeGuid(out, 1, schema);
  } else {
    out[0] = CONFLUENT_HEADER_ID_VERSION;
    writeSchemaId(out, 1, schema);
  }
  if (messageIndexes !== undefined) writeMessageIndexes(out, idSize, messageIndexes);
  return out;
}

/** The schema id a header names, and where its message indexes (if any) start. */
export function decodeConfluentHeader(header: Uint8Array): {
  readonly schemaId: SchemaId;
  readonly offset: number;
} {
  const version = header[0];
  if (version === CONFLUENT_HEADER_GUID_VERSION && header.length >= 17) {
    return { schemaId: { kind: 'guid', guid: readGuid(header, 1) }, offset: 17 };
  }
  if (version === CONFLUENT_HEADER_ID_VERSION && header.length >= 5) {
    return { schemaId: { kind: 'id', id: readSchemaId(header, 1) }, offset: 5 };
  }
  throw new SchemaWireError(
    ErrorCode.InvalidPayload,
    `cannot read schema id header: ${header.length} bytes starting with ${version === undefined ? 'nothing' : `0x${version.toString(16).padStart(2, '0')}`}, expected 0x01 and a 16-byte GUID or 0x00 and a 4-byte id`,
  );
}
