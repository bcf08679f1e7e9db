import type {
  PayloadSerializer,
  Schema,
  SchemaCodec,
  SchemaFormat,
  SchemalessCodec,
  SchemaResolver,
  SchemaType,
  SerializedPayload,
} from '@schemawire/core-client';
import { ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import { requireFormat } from './formats.js';

/** How a {@link RawCodec} compiles its schema. */
export interface RawCodecOptions {
  /** The formats to compile with (they decide how 64-bit integers decode). */
  readonly formats: readonly SchemaFormat[];
  /** The Protobuf message the bodies hold (default the file's first). */
  readonly messageName?: string | undefined;
  /** Read into this schema instead (Avro schema resolution); ignored when of another type. */
  readonly readerSchema?: Schema | undefined;
}

const TOMBSTONE: SerializedPayload = Object.freeze({ bytes: null });

/**
 * A schema held by the user (a file, or a subject's version), compiled to read and write bare bodies:
 * values with no schema id anywhere, neither prefix nor header, as producers without a registry
 * write them (plain Avro `DatumWriter`, Protobuf `SerializeToString`, JSON text). The deserializer
 * reads them with it as its `schemaless` codec.
 */
export class RawCodec implements PayloadSerializer, SchemalessCodec {
  readonly schemaType: SchemaType;
  /** What the schema came from, e.g. `schema file "user.avsc"`, for messages. */
  readonly source: string;
  readonly codec: SchemaCodec;

  private constructor(schemaType: SchemaType, source: string, codec: SchemaCodec) {
    this.schemaType = schemaType;
    this.source = source;
    this.codec = codec;
  }

  /** Compiles `schema`; its references, if any, come from the resolver's registry. */
  static async open(
    schema: Schema,
    source: string,
    resolver: SchemaResolver,
    options: RawCodecOptions,
  ): Promise<RawCodec> {
    const action = `cannot compile ${source}`;
    const format = options.formats.find((f) => f.schemaType === schema.schemaType);
    const compiler = format ?? requireFormat(schema.schemaType, action);
    const reader = options.readerSchema;
    try {
      const codec = compiler.compile(await resolver.resolveSchema(schema), {
        ...(options.messageName === undefined ? {} : { messageName: options.messageName }),
        ...(reader === undefined || reader.schemaType !== schema.schemaType
          ? {}
          : { readerSchema: await resolver.resolveSchema(reader) }),
      });
      return new RawCodec(schema.schemaType, source, codec);
    } catch (error) {
      throw naming(error, ErrorCode.InvalidSchema, action);
    }
  }

  /** `value`, in its format's JSON form as the command line takes it, as a bare body; null is a tombstone. */
  serializeSync(topic: string, value: unknown): SerializedPayload {
    if (value === null) return TOMBSTONE;
    try {
      const { codec } = this;
      return { bytes: codec.encode(codec.fromJson === undefined ? value : codec.fromJson(value), 0) };
    } catch (error) {
      throw naming(
        error,
        ErrorCode.SerializationFailed,
        `cannot encode value with ${this.source}`,
      ).withContext({
        topic,
      });
    }
  }

  async serialize(topic: string, value: unknown): Promise<SerializedPayload> {
    return this.serializeSync(topic, value);
  }

  async prepare(): Promise<undefined> {
    return undefined;
  }
}

// The codecs' messages name the field, not the schema; the user holds several files and needs both.
function naming(error: unknown, code: ErrorCode, action: string): SchemaWireError {
  const detail = error instanceof Error ? error.message : String(error);
  return new SchemaWireError(isSchemaWireError(error) ? error.code : code, `${action}: ${detail}`, {
    cause: error,
  });
}
