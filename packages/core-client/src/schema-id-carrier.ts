import { Buffer } from 'node:buffer';
import { ErrorCode, SchemaWireError } from './errors.js';
import type { MessageHeaders } from './headers.js';
import { lastHeader } from './headers.js';
import type { RegisteredSchema, SchemaId } from './schema.js';
import { apicurioHeaderNames, encodeApicurioId, readApicurioHeaders } from './wire/apicurio-header.js';
import {
  CONFLUENT_KEY_SCHEMA_ID_HEADER,
  CONFLUENT_VALUE_SCHEMA_ID_HEADER,
  decodeConfluentHeader,
  encodeConfluentHeader,
} from './wire/confluent-header.js';
import {
  CONFLUENT_PREFIX_SIZE,
  hasConfluentPrefix,
  readConfluentPrefix,
  readSchemaId,
  writeConfluentPrefix,
} from './wire/confluent-prefix.js';
import type { KeyIdCodec } from './wire/key-carrier.js';
import { decimalKeyIdCodec } from './wire/key-carrier.js';
import { encodeMessageIndexes, FIRST_MESSAGE, readMessageIndexes } from './wire/message-indexes.js';

/**
 * Where a message carries its schema id:
 * - `prefix`: Confluent magic byte and 4-byte id before the body;
 * - `confluent-header`: the `__value_schema_id` / `__key_schema_id` header with the schema's GUID (or id);
 * - `apicurio-header`: the `apicurio.value.contentId` (or globalId) header;
 * - `key`: the message key (value serializers only).
 */
export type SchemaIdCarrier = 'prefix' | 'confluent-header' | 'apicurio-header' | 'key';

/** Every carrier, for option parsing. */
export const schemaIdCarriers: readonly SchemaIdCarrier[] = [
  'prefix',
  'confluent-header',
  'apicurio-header',
  'key',
];

/** Options of the carriers that have any. */
export interface CarrierOptions {
  /** How the key carrier writes and reads the id; default: decimal UTF-8 text. */
  readonly keyIdCodec?: KeyIdCodec;
  /** Which id the Apicurio header carries; default `contentId` (Apicurio 3's default). */
  readonly apicurioId?: 'contentId' | 'globalId';
}

/**
 * The frame of one schema for one carrier, computed once per schema so serializing a message only
 * copies it: the bytes before the body, the header, or the key.
 */
export interface Frame {
  /** Bytes written before the body: the prefix and any message indexes (empty for header carriers). */
  readonly prefix: Buffer;
  readonly headerName: string | undefined;
  readonly headerValue: Buffer | undefined;
  readonly key: Buffer | undefined;
}

/** Builds the frame that names `schema` through `carrier`. */
export function buildFrame(
  carrier: SchemaIdCarrier,
  schema: RegisteredSchema,
  messageIndexes: readonly number[] | undefined,
  isKey: boolean,
  options: CarrierOptions,
): Frame {
  const indexes = messageIndexes === undefined ? EMPTY : encodeMessageIndexes(messageIndexes);
  switch (carrier) {
    case 'prefix': {
      const prefix = Buffer.allocUnsafe(CONFLUENT_PREFIX_SIZE + indexes.length);
      writeConfluentPrefix(prefix, schema.id);
      prefix.set(indexes, CONFLUENT_PREFIX_SIZE);
      return { prefix, headerName: undefined, headerValue: undefined, key: undefined };
    }
    case 'confluent-header':
      return {
        prefix: EMPTY,
        headerName: isKey ? CONFLUENT_KEY_SCHEMA_ID_HEADER : CONFLUENT_VALUE_SCHEMA_ID_HEADER,
        // The GUID form where the registry has GUIDs (Confluent 8); the id form, which Confluent's
        // deserializers read too, where it has none (Apicurio, Karapace, older Confluent).
        headerValue: encodeConfluentHeader(schema.guid ?? schema.id, messageIndexes),
        key: undefined,
      };
    case 'apicurio-header': {
      const names = apicurioHeaderNames(isKey);
      const useGlobalId = options.apicurioId === 'globalId';
      if (useGlobalId && schema.globalId === undefined) {
        throw new SchemaWireError(
          ErrorCode.Unsupported,
          `cannot use the apicurio-header carrier with globalId: the registry gave schema ${schema.id} no globalId`,
          { schemaId: schema.id },
        );
      }
      return {
        prefix: indexes,
        headerName: useGlobalId ? names.globalId : names.contentId,
        headerValue: encodeApicurioId(useGlobalId ? schema.globalId! : schema.id),
        key: undefined,
      };
    }
    case 'key': {
      if (isKey) {
        throw new SchemaWireError(
          ErrorCode.Config,
          'cannot use the key carrier for a key serializer: the key is the carrier',
        );
      }
      return {
        prefix: indexes,
        headerName: undefined,
        headerValue: undefined,
        key: (options.keyIdCodec ?? decimalKeyIdCodec).encode(schema.id),
      };
    }
  }
}

/** Where a message's schema id was found, and where its body starts. */
export interface Located {
  readonly schemaId: SchemaId;
  /** Offset of the body (after the prefix) in the payload. */
  readonly offset: number;
  /** What follows the id in a Confluent header (its message indexes); undefined for other carriers. */
  readonly headerTail: Uint8Array | undefined;
  readonly carrier: SchemaIdCarrier;
}

/** Options of {@link locateSchemaId}. */
export interface LocateOptions {
  readonly isKey: boolean;
  /** Look for the value's schema id in the message key, with this codec. */
  readonly keyIdCodec: KeyIdCodec | undefined;
}

/**
 * Finds a message's schema id: headers first (Confluent, then Apicurio), then the key when the key
 * carrier is on, then the payload prefix. Undefined when none carries one; a malformed carrier throws.
 */
export function locateSchemaId(
  payload: Uint8Array,
  key: Uint8Array | null | undefined,
  headers: MessageHeaders | undefined,
  options: LocateOptions,
): Located | undefined {
  if (headers !== undefined) {
    const confluent = lastHeader(
      headers,
      options.isKey ? CONFLUENT_KEY_SCHEMA_ID_HEADER : CONFLUENT_VALUE_SCHEMA_ID_HEADER,
    );
    if (confluent !== undefined) {
      const { schemaId, offset } = decodeConfluentHeader(confluent);
      return { schemaId, offset: 0, headerTail: confluent.subarray(offset), carrier: 'confluent-header' };
    }
    // Checked first so a message without them (most) costs no lookup closure.
    const apicurioNames = apicurioHeaderNames(options.isKey);
    if (headers[apicurioNames.globalId] !== undefined || headers[apicurioNames.contentId] !== undefined) {
      const apicurio = readApicurioHeaders((name) => lastHeader(headers, name), options.isKey);
      if (apicurio !== undefined)
        return { schemaId: apicurio, offset: 0, headerTail: undefined, carrier: 'apicurio-header' };
    }
  }
  // The key before the prefix: turning the key carrier on says keys name schemas, and a bare value
  // often starts with 0x00 (Protobuf's first message index, an Avro zero) and would pass for a prefix.
  if (options.keyIdCodec !== undefined && !options.isKey && key !== undefined && key !== null) {
    const id = options.keyIdCodec.decode(key);
    if (id !== undefined)
      return { schemaId: { kind: 'id', id }, offset: 0, headerTail: undefined, carrier: 'key' };
  }
  if (hasConfluentPrefix(payload)) {
    return {
      schemaId: { kind: 'id', id: readConfluentPrefix(payload) },
      offset: CONFLUENT_PREFIX_SIZE,
      headerTail: undefined,
      carrier: 'prefix',
    };
  }
  return undefined;
}

/**
 * The schema id in the Confluent prefix of a message when {@link locateSchemaId} would read it there:
 * undefined when the message has no prefix, or a header or a key carrier {@link locateSchemaId} reads
 * first might name the schema. The deserializer's hot path: it looks the codec up by this number
 * without building a {@link Located}.
 */
export function prefixSchemaId(
  payload: Uint8Array,
  key: Uint8Array | null | undefined,
  headers: MessageHeaders | undefined,
  options: LocateOptions,
): number | undefined {
  if (!hasConfluentPrefix(payload)) return undefined;
  const keyMayCarry = options.keyIdCodec !== undefined && !options.isKey && key !== undefined && key !== null;
  if (keyMayCarry) return undefined;
  if (headers !== undefined) {
    const apicurio = apicurioHeaderNames(options.isKey);
    const confluent = options.isKey ? CONFLUENT_KEY_SCHEMA_ID_HEADER : CONFLUENT_VALUE_SCHEMA_ID_HEADER;
    if (
      headers[confluent] !== undefined ||
      headers[apicurio.globalId] !== undefined ||
      headers[apicurio.contentId] !== undefined
    ) {
      return undefined;
    }
  }
  return readSchemaId(payload, 1);
}

/**
 * The message indexes of a located message and the offset of the body after them: from the
 * Confluent header when it held them, else from the payload.
 */
export function readLocatedIndexes(
  payload: Uint8Array,
  located: Located,
): { readonly indexes: readonly number[]; readonly offset: number } {
  if (located.headerTail !== undefined) {
    // The Confluent header carrier keeps the indexes in the header; none there means the first message.
    const indexes =
      located.headerTail.length === 0 ? FIRST_MESSAGE : readMessageIndexes(located.headerTail, 0).indexes;
    return { indexes, offset: located.offset };
  }
  return readMessageIndexes(payload, located.offset);
}

const EMPTY = Buffer.alloc(0);
