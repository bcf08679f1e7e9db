import { Buffer } from 'node:buffer';
import { describeValue, ErrorCode, jsonText, SchemaWireError } from './errors.js';
import type { SerializedPayload } from './serializer.js';

/**
 * What a Kafka producer wrapper needs of a serializer: the schema-aware {@link Serializer} and the
 * schemaless {@link SchemalessSerializer} both fit.
 */
export interface PayloadSerializer<T = unknown> {
  /** Serializes `value` for `topic` once {@link prepare} has resolved. */
  serializeSync(topic: string, value: T | null): SerializedPayload;
  serialize(topic: string, value: T | null): Promise<SerializedPayload>;
  /** Makes `topic` ready for {@link serializeSync}. */
  prepare(topic: string): Promise<unknown>;
}

const TOMBSTONE: SerializedPayload = Object.freeze({ bytes: null });

/**
 * Writes values with no schema and no registry, as plain producers do: `string` writes UTF-8 text (the
 * value must be a string, or bytes, written as they are), `json` writes `JSON.stringify(value)` as
 * UTF-8. `null` is a tombstone. The deserializer's `fallback` option reads them back.
 */
export class SchemalessSerializer implements PayloadSerializer {
  readonly format: 'string' | 'json';

  constructor(format: 'string' | 'json') {
    this.format = format;
  }

  serializeSync(topic: string, value: unknown): SerializedPayload {
    if (value === null) return TOMBSTONE;
    if (this.format === 'string') {
      // Bytes that are not text go as they are: the `string` fallback reads them back as BYTES.
      if (value instanceof Uint8Array)
        return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
      if (typeof value !== 'string') {
        throw new SchemaWireError(
          ErrorCode.SerializationFailed,
          `cannot serialize value as string: ${describeValue(value)} is not a string`,
          {
            topic,
          },
        );
      }
      return { bytes: Buffer.from(value, 'utf8') };
    }
    let text: string;
    try {
      text = jsonText(value, 'cannot serialize value as json');
    } catch (error) {
      throw (error as SchemaWireError).withContext({ topic });
    }
    return { bytes: Buffer.from(text, 'utf8') };
  }

  async serialize(topic: string, value: unknown): Promise<SerializedPayload> {
    return this.serializeSync(topic, value);
  }

  async prepare(): Promise<undefined> {
    return undefined;
  }
}
