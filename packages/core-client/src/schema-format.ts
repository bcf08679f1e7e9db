import type { ResolvedSchema, SchemaType } from './schema.js';

/**
 * How a format's decoded values hold 64-bit integers (a format factory's `longs` option): a number
 * where it is exact (within ±(2^53 - 1)) and a bigint beyond (`number-or-bigint`), always a bigint,
 * or always decimal text. Encoding takes all three forms whatever the option.
 */
export type Longs = 'number-or-bigint' | 'bigint' | 'string';

/** The values of {@link Longs}, for checking options that come as text. */
export const longsModes: readonly Longs[] = Object.freeze(['number-or-bigint', 'bigint', 'string']);

/** Options of {@link SchemaFormat.compile}. */
export interface CompileOptions {
  /** Decode into this schema instead of the writer's (Avro schema resolution). */
  readonly readerSchema?: ResolvedSchema;
  /** The message type to encode, for formats whose schemas hold several (Protobuf full name). */
  readonly messageName?: string;
}

/**
 * A compiled schema: encodes values to the body of a message and decodes bodies back. Built once per
 * schema and cached, so both calls are the hot path: synchronous, no needless allocation.
 */
export interface SchemaCodec {
  /**
   * The Protobuf message indexes that frame the body (written after the schema id); undefined for
   * formats that have none.
   */
  readonly messageIndexes?: readonly number[];
  /** The full name of the encoded type (Avro record, Protobuf message), for the Record strategies. */
  readonly typeName?: string;
  /**
   * The message indexes of `value` when its own type, not the codec's default, decides what is
   * written (a Protobuf message instance of another message of the file); undefined for values of
   * the default type. Only codecs that let the value choose have it.
   */
  messageIndexesOf?(value: unknown): readonly number[] | undefined;
  /**
   * Encodes `value` into bytes of its own whose first `headroom` bytes are left for the caller to fill
   * with the frame (magic byte, id): at most one allocation per message, and none where the codec
   * hands out views of a slab no later call writes into again. SCHEMAWIRE_SERIALIZATION_FAILED
   * names the field that does not fit. A value for which {@link messageIndexesOf} gave indexes is
   * encoded as that message.
   */
  encode(value: unknown, headroom: number): Buffer;
  /**
   * Decodes the body: the bytes of `payload` from `offset` to its end (the frame comes before it).
   * `messageIndexes` are those the frame carried. SCHEMAWIRE_DESERIALIZATION_FAILED when the bytes do
   * not decode.
   */
  decode(payload: Buffer, offset: number, messageIndexes?: readonly number[]): unknown;
  /**
   * The value a JSON document spells, in the form `encode` takes: the format's text forms of what
   * JSON has no type for (Avro `bytes` and `fixed` as base64) turned into those types. Formats whose
   * `encode` takes such forms itself (Protobuf, JSON Schema) leave it out. Used by serializers with
   * `jsonValues`.
   */
  fromJson?(value: unknown): unknown;
  /**
   * The format's JSON form of a decoded value, the one its community prints (Avro logical types as
   * readable text, the proto3 JSON mapping): plain JSON data, with 64-bit integers left as `decode`
   * gave them for exact printing. `fromJson`, or `encode` where the format has no `fromJson`, takes
   * it back unchanged, so printed values can be produced again. Used by deserializers with
   * `jsonValues`; formats without it print their decoded values as they are. `messageIndexes` are
   * those `decode` was given, for formats whose schemas hold several types (Protobuf).
   */
  toJson?(value: unknown, messageIndexes?: readonly number[]): unknown;
}

/**
 * A schema type's plug-in (Avro, Protobuf, JSON Schema): compiles schemas into codecs and checks
 * compatibility. The serializer, deserializer and embedded registry pick one by `schemaType`.
 */
export interface SchemaFormat {
  readonly schemaType: SchemaType;
  /** Whether messages of this type carry message indexes after the schema id (Protobuf). */
  readonly usesMessageIndexes: boolean;
  /** Compiles a schema (with its references); SCHEMAWIRE_INVALID_SCHEMA when it does not parse. */
  compile(schema: ResolvedSchema, options?: CompileOptions): SchemaCodec;
  /** Throws SCHEMAWIRE_INVALID_SCHEMA when the schema text (with its references) is not valid. */
  validate(schema: ResolvedSchema): void;
  /**
   * The text two schemas are compared by to decide they are the same (whitespace and key order do
   * not matter); with `normalize`, the registry's stronger normal form.
   */
  canonicalize(schema: ResolvedSchema, normalize: boolean): string;
  /**
   * What stops data written with `writer` from being read with `reader`; empty when nothing does.
   * The compatibility levels are built on this (see `checkCompatibility`), which says which of the
   * two is the `newer` (the candidate): a format whose rules are about how a schema evolves (Protobuf's
   * on removed fields) needs it, and without it goes by the schemas' versions.
   */
  readerIncompatibilities(
    reader: ResolvedSchema,
    writer: ResolvedSchema,
    newer?: 'reader' | 'writer',
  ): string[];
}
