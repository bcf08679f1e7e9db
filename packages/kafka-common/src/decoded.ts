import type {
  AnySchemaHandle,
  DecodedSchemaType,
  Deserialized,
  Deserializer,
  IncomingMessage,
  SchemaIdCarrier,
  TypedValue,
} from '@schemawire/core-client';
import { ErrorCode, isSchemaWireError, type SchemaWireError, wrapError } from '@schemawire/core-client';
import type { ConsumedMessage } from './consumed.js';

/** What a decoded message says besides its value: its key and the schema its value was written with. */
export interface DecodedSchema {
  /** The key decoded by the key deserializer when there is one, else the key as it came. */
  readonly key: unknown;
  /** The registry id of the value's schema; undefined for tombstones and schemaless values. */
  readonly schemaId: number | undefined;
  /** The value's schema type, STRING or JSON for schemaless values; undefined for tombstones. */
  readonly schemaType: DecodedSchemaType | undefined;
  /** A subject that holds the value's schema, when the registry named one. */
  readonly subject: string | undefined;
  /** Where the value's schema id was found; undefined for tombstones and schemaless values. */
  readonly carrier: SchemaIdCarrier | undefined;
}

/**
 * A decoded message: its value (null for a tombstone) and key, and the schema its value was written
 * with. The value is typed by the value deserializer's schema handle (one of `H`) it was written with,
 * narrowed on `typeName`; `unknown` for any other schema.
 */
export type Decoded<H extends AnySchemaHandle = never> = DecodedSchema & TypedValue<H>;

/** A decoded message of any deserializer, typed or not: what the shared logic passes on. */
export type AnyDecoded = Decoded<AnySchemaHandle>;

/**
 * A message's value (or key, with a key deserializer) decoded: synchronously when its schema is cached,
 * a promise only when it has to be fetched.
 */
export function decodeWith(
  deserializer: Deserializer<AnySchemaHandle>,
  message: IncomingMessage,
): Deserialized<AnySchemaHandle> | null | Promise<Deserialized<AnySchemaHandle> | null> {
  try {
    return deserializer.deserializeSync(message);
  } catch (error) {
    if (isSchemaWireError(error, ErrorCode.NotCached)) return deserializer.deserialize(message);
    throw error;
  }
}

/** The {@link Decoded} of a value and a key. */
export function toDecoded(value: Deserialized<AnySchemaHandle> | null, key: unknown): AnyDecoded {
  if (value === null) {
    return {
      value: null,
      key,
      schemaId: undefined,
      schemaType: undefined,
      subject: undefined,
      carrier: undefined,
    };
  }
  const decoded: AnyDecoded = {
    value: value.value,
    key,
    schemaId: value.schemaId,
    schemaType: value.schemaType,
    subject: value.subject,
    carrier: value.carrier,
  };
  // Only typed values carry a type name: untyped ones keep the shape they had before handles existed.
  return value.typeName === undefined
    ? decoded
    : { ...decoded, typeName: value.typeName, value: value.value };
}

/** The error of a message that could not be decoded, with where it was. */
export function decodeError(error: unknown, consumed: ConsumedMessage): SchemaWireError {
  const context = { topic: consumed.topic, partition: consumed.partition, offset: consumed.message.offset };
  return isSchemaWireError(error)
    ? error.withContext(context)
    : wrapError(error, ErrorCode.DeserializationFailed, 'cannot decode message', context);
}
