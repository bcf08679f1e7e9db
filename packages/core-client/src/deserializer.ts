import { Buffer, isUtf8 } from 'node:buffer';
import { LruCache } from './cache.js';
import {
  describeValue,
  ErrorCode,
  escapeControlCharacters,
  isSchemaWireError,
  SchemaWireError,
  wrapError,
} from './errors.js';
import { parseJsonExactly } from './exact-json.js';
import type { MessageHeaders } from './headers.js';
import type { RegisteredSchema, ResolvedSchema, Schema, SchemaId, SchemaType } from './schema.js';
import { schemaIdKey } from './schema.js';
import type { SchemaCodec, SchemaFormat } from './schema-format.js';
import { SchemaFormats } from './schema-formats.js';
import type { AnySchemaHandle, TypedValue } from './schema-handle.js';
import type { Located, LocateOptions, SchemaIdCarrier } from './schema-id-carrier.js';
import { locateSchemaId, prefixSchemaId, readLocatedIndexes } from './schema-id-carrier.js';
import type { SchemaRegistryClient } from './schema-registry.js';
import { SchemaResolver } from './schema-resolver.js';
import { CONFLUENT_PREFIX_SIZE } from './wire/confluent-prefix.js';
import type { KeyIdCodec } from './wire/key-carrier.js';
import { decimalKeyIdCodec } from './wire/key-carrier.js';
import { FIRST_MESSAGE } from './wire/message-indexes.js';

/** Every {@link SchemalessFallback}, for option parsing. */
export const schemalessFallbacks = ['string', 'json', 'auto'] as const;

/**
 * How a payload with no schema id (and no `schemaless` codec for its topic) decodes: `string` as UTF-8
 * text (STRING), or as its bytes (BYTES) when it is not UTF-8, so nothing is lost; `json` as JSON text,
 * else an error; `auto` as JSON when it parses, else as `string`.
 */
export type SchemalessFallback = (typeof schemalessFallbacks)[number];

/**
 * A schema held locally for the payloads of a topic that carry no schema id, as producers without a
 * registry write them (a bare Avro body, a Protobuf message with no indexes, JSON text).
 */
export interface SchemalessCodec {
  readonly schemaType: SchemaType;
  /** The compiled schema; it decodes the whole payload. */
  readonly codec: SchemaCodec;
  /** What the schema came from (e.g. `schema file "user.avsc"`), named when a payload does not decode. */
  readonly source?: string;
}

/** Options of a {@link Deserializer}; `H`, the schema handles it types values by, come from `schemas`. */
export interface DeserializerOptions<H extends AnySchemaHandle = never> {
  /** The registry, or a resolver to share its caches with other serializers and deserializers. */
  readonly registry: SchemaResolver | SchemaRegistryClient;
  /** The formats (Avro, Protobuf, JSON Schema) this deserializer may meet. */
  readonly formats: SchemaFormats | readonly SchemaFormat[];
  /** Deserialize message keys (`__key_schema_id` header) instead of values. */
  readonly isKey?: boolean;
  /** Also look for the value's schema id in the message key (`true`: decimal text). */
  readonly keyCarrier?: boolean | KeyIdCodec;
  /** Decode payloads that carry no schema id as text, bytes or JSON instead of failing. */
  readonly fallback?: SchemalessFallback;
  /**
   * The local schema of a topic's payloads that carry no schema id, before any `fallback`; undefined
   * leaves them to the fallback. `topic` is the message's (undefined when it names none).
   */
  readonly schemaless?: (topic: string | undefined) => SchemalessCodec | undefined;
  /**
   * Read with this schema instead of the writer's (Avro schema resolution), or pick one per writer
   * schema; called once per writer schema.
   */
  readonly readerSchema?: Schema | ((writer: RegisteredSchema) => Schema | undefined);
  /** Compiled codecs kept; default 1000. */
  readonly maxCodecs?: number;
  /** Return values in their format's JSON form (see `SchemaCodec.toJson`), for printing. */
  readonly jsonValues?: boolean;
  /**
   * Schema handles (see `schemawire codegen`) of the schemas the payloads may be written with: a
   * payload whose writer schema (or reader schema) is one of them, text for text once canonical,
   * comes back with the handle's `typeName` and typed value; any other payload, as today, untyped.
   * Ignored with `jsonValues`, whose values are no longer the handles' types.
   */
  readonly schemas?: readonly H[];
}

/** A Kafka message as the deserializer needs it; kafkajs's `KafkaMessage` fits. */
export interface IncomingMessage {
  readonly value: Uint8Array | null;
  readonly key?: Uint8Array | null;
  readonly headers?: MessageHeaders | undefined;
  /** Where the message came from, for error context. */
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
}

/**
 * The schema type a payload decoded with: a registry type, or STRING / JSON for schemaless payloads,
 * or BYTES for those kept as bytes (not UTF-8 text): their value is the payload's `Buffer`.
 */
export type DecodedSchemaType = SchemaType | 'STRING' | 'BYTES';

/** What a decoded key or value says of the schema it was written with. */
export interface DeserializedSchema {
  /** The registry id of the writer schema; undefined for schemaless payloads. */
  readonly schemaId: number | undefined;
  readonly schemaType: DecodedSchemaType;
  /** A subject that holds the writer schema, when the registry named one. */
  readonly subject: string | undefined;
  readonly version: number | undefined;
  /** Where the schema id was found; undefined for schemaless payloads. */
  readonly carrier: SchemaIdCarrier | undefined;
}

/** A decoded key or value whose schema is none of the deserializer's schema handles. */
export type UntypedDeserialized = Deserialized<never>;

/**
 * A decoded key or value, with the schema it was written with: typed by the schema handle (one of
 * `H`) it was written with, narrowed on `typeName`; `unknown` for any other schema.
 */
export type Deserialized<H extends AnySchemaHandle = never> = DeserializedSchema & TypedValue<H>;

interface CodecEntry {
  readonly schema: RegisteredSchema;
  // The schema's fields every result names, read once here rather than through `schema` per message.
  readonly schemaId: number;
  readonly schemaType: SchemaType;
  readonly subject: string | undefined;
  readonly version: number | undefined;
  readonly codec: SchemaCodec;
  readonly usesMessageIndexes: boolean;
  /** Where a message whose prefix names this schema has it: the same for every such message. */
  readonly prefixed: Located;
  /** The type name of the schema handle the values decode as, when one matches (not Protobuf). */
  readonly typeName: string | undefined;
  /** Protobuf: the type names of the matching handles' messages, by message indexes joined with '.'. */
  readonly typeNamesByIndexes: ReadonlyMap<string, string> | undefined;
  /** Whether a handle matched the schema: one of the two above is set. */
  readonly typed: boolean;
}

/**
 * The universal decoder: finds a message's schema id wherever it is carried (headers, prefix, key),
 * resolves and caches the schema, picks the format by schema type and decodes. Once a schema's codec
 * is cached, {@link deserializeSync} decodes without a promise. `H` are the schema handles it was
 * given: values written with one of them come typed (see {@link Deserialized}).
 */
export class Deserializer<H extends AnySchemaHandle = never> {
  readonly resolver: SchemaResolver;
  readonly #formats: SchemaFormats;
  readonly #isKey: boolean;
  readonly #keyIdCodec: KeyIdCodec | undefined;
  readonly #fallback: SchemalessFallback | undefined;
  readonly #schemalessCodec: DeserializerOptions['schemaless'];
  readonly #readerSchema: DeserializerOptions['readerSchema'];
  readonly #jsonValues: boolean;
  readonly #handles: readonly AnySchemaHandle[];
  /** The canonical text of each handle's schema, computed once. */
  readonly #handleTexts = new Map<AnySchemaHandle, Promise<string>>();
  readonly #locateOptions: LocateOptions;
  readonly #codecs: LruCache<number | string, CodecEntry>;
  readonly #compiling = new Map<number | string, Promise<CodecEntry>>();

  constructor(options: DeserializerOptions<H>) {
    this.resolver =
      options.registry instanceof SchemaResolver ? options.registry : new SchemaResolver(options.registry);
    this.#formats =
      options.formats instanceof SchemaFormats ? options.formats : new SchemaFormats(options.formats);
    this.#isKey = options.isKey ?? false;
    if (this.#isKey && options.keyCarrier !== undefined && options.keyCarrier !== false) {
      throw new SchemaWireError(
        ErrorCode.Config,
        'cannot create deserializer: the key carrier names the value schema, not the key schema',
      );
    }
    this.#keyIdCodec = options.keyCarrier === true ? decimalKeyIdCodec : options.keyCarrier || undefined;
    this.#locateOptions = { isKey: this.#isKey, keyIdCodec: this.#keyIdCodec };
    this.#fallback = options.fallback;
    this.#schemalessCodec = options.schemaless;
    this.#readerSchema = options.readerSchema;
    this.#jsonValues = options.jsonValues ?? false;
    this.#handles = this.#jsonValues ? [] : (options.schemas ?? []);
    this.#codecs = new LruCache(options.maxCodecs ?? 1000);
  }

  /**
   * Decodes the message's value (key, for a key deserializer) when its schema is cached;
   * SCHEMAWIRE_NOT_CACHED otherwise. A tombstone (null) decodes to null.
   */
  deserializeSync(message: IncomingMessage): Deserialized<H> | null {
    const payload = this.#payload(message);
    if (payload === null) return null;
    const prefixed = this.#decodePrefixed(payload, message);
    if (prefixed !== undefined) return prefixed;
    const located = this.#locate(payload, message);
    if (located === undefined) return this.#schemaless(payload, message);
    const entry = this.#codecs.get(codecKey(located.schemaId));
    if (entry === undefined) {
      throw new SchemaWireError(
        ErrorCode.NotCached,
        `cannot deserialize synchronously: schema ${schemaIdKey(located.schemaId)} is not cached; await deserialize() or prepare() first`,
        {
          ...messageContext(message),
          ...idContext(located.schemaId),
        },
      );
    }
    return this.#decode(entry, payload, located, message);
  }

  /** Decodes the message's value (key, for a key deserializer), fetching its schema when needed. */
  async deserialize(message: IncomingMessage): Promise<Deserialized<H> | null> {
    const payload = this.#payload(message);
    if (payload === null) return null;
    const prefixed = this.#decodePrefixed(payload, message);
    if (prefixed !== undefined) return prefixed;
    const located = this.#locate(payload, message);
    if (located === undefined) return this.#schemaless(payload, message);
    const entry =
      this.#codecs.get(codecKey(located.schemaId)) ?? (await this.#compile(located.schemaId, message));
    return this.#decode(entry, payload, located, message);
  }

  /** Fetches and compiles the schema of `id`, so messages naming it decode synchronously. */
  async prepare(id: SchemaId): Promise<RegisteredSchema> {
    return (this.#codecs.get(codecKey(id)) ?? (await this.#compile(id, undefined))).schema;
  }

  #payload(message: IncomingMessage): Buffer | null {
    const bytes = this.#isKey ? (message.key ?? null) : message.value;
    if (bytes === null) return null;
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // The common case, a cached schema named by the Confluent prefix, decoded without building a Located;
  // undefined leaves the message to the general path.
  #decodePrefixed(payload: Buffer, message: IncomingMessage): Deserialized<H> | undefined {
    const id = prefixSchemaId(payload, message.key, message.headers, this.#locateOptions);
    if (id === undefined) return undefined;
    const entry = this.#codecs.get(id);
    return entry === undefined ? undefined : this.#decode(entry, payload, entry.prefixed, message);
  }

  #locate(payload: Buffer, message: IncomingMessage): Located | undefined {
    try {
      return locateSchemaId(payload, message.key, message.headers, this.#locateOptions);
    } catch (error) {
      throw error instanceof SchemaWireError ? error.withContext(messageContext(message)) : error;
    }
  }

  #decode(entry: CodecEntry, payload: Buffer, located: Located, message: IncomingMessage): Deserialized<H> {
    try {
      let value: unknown;
      let indexes: readonly number[] | undefined;
      if (entry.usesMessageIndexes && located.headerTail === undefined && payload[located.offset] === 0) {
        // `00`, the file's first message: the common case, read without building the indexes.
        indexes = FIRST_MESSAGE;
        value = entry.codec.decode(payload, located.offset + 1, indexes);
      } else if (entry.usesMessageIndexes) {
        const read = readLocatedIndexes(payload, located);
        indexes = read.indexes;
        value = entry.codec.decode(payload, read.offset, indexes);
      } else {
        value = entry.codec.decode(payload, located.offset);
      }
      if (this.#jsonValues && entry.codec.toJson !== undefined) value = entry.codec.toJson(value, indexes);
      const decoded = new DecodedResult(
        entry.schemaId,
        entry.schemaType,
        entry.subject,
        entry.version,
        located.carrier,
        value,
      );
      // Only a schema a handle matched pays for its type name: the untyped path is as it was.
      return entry.typed ? this.#typed(decoded, entry, payload, located) : decoded;
    } catch (error) {
      throw wrapError(error, ErrorCode.DeserializationFailed, 'cannot deserialize payload', {
        ...messageContext(message),
        schemaId: entry.schema.id,
        ...(entry.schema.subject === undefined ? {} : { subject: entry.schema.subject }),
      });
    }
  }

  /** `decoded` with the type name of the handle its schema (and, for Protobuf, its message) matched. */
  #typed(
    decoded: UntypedDeserialized,
    entry: CodecEntry,
    payload: Buffer,
    located: Located,
  ): Deserialized<H> {
    let typeName = entry.typeName;
    if (entry.typeNamesByIndexes !== undefined) {
      const first = located.headerTail === undefined && payload[located.offset] === 0;
      const indexes = first ? FIRST_MESSAGE : readLocatedIndexes(payload, located).indexes;
      typeName = entry.typeNamesByIndexes.get(indexes.join('.'));
    }
    return (typeName === undefined ? decoded : { ...decoded, typeName }) as Deserialized<H>;
  }

  #schemaless(payload: Buffer, message: IncomingMessage): UntypedDeserialized {
    const local = this.#schemalessCodec?.(message.topic);
    if (local !== undefined) return this.#decodeSchemaless(local, payload, message);
    switch (this.#fallback) {
      case 'string':
        return textOrBytes(payload);
      case 'auto':
        try {
          return schemalessJson(payload);
        } catch {
          return textOrBytes(payload);
        }
      case 'json':
        try {
          return schemalessJson(payload);
        } catch (error) {
          throw new SchemaWireError(
            ErrorCode.DeserializationFailed,
            // The parser's message quotes the payload, which may hold control characters.
            `cannot deserialize schemaless payload as json: ${escapeControlCharacters((error as Error).message)}`,
            { ...messageContext(message), cause: error },
          );
        }
      case undefined: {
        const first = payload[0];
        const code =
          payload.length === 0 || first === 0 ? ErrorCode.InvalidPayload : ErrorCode.UnknownMagicByte;
        const found =
          payload.length === 0
            ? 'the payload is empty'
            : `first byte is 0x${first!.toString(16).padStart(2, '0')}`;
        throw new SchemaWireError(
          code,
          `cannot find schema id: no schema id header${this.#keyIdCodec ? ', no id in the key' : ''}, and no Confluent prefix (${found}, payload ${describeValue(payload)}); configure a schemaless fallback to read such payloads`,
          messageContext(message),
        );
      }
    }
  }

  #decodeSchemaless(local: SchemalessCodec, payload: Buffer, message: IncomingMessage): UntypedDeserialized {
    try {
      const value = local.codec.decode(payload, 0);
      return {
        ...SCHEMALESS,
        schemaType: local.schemaType,
        value: this.#jsonValues && local.codec.toJson !== undefined ? local.codec.toJson(value) : value,
      };
    } catch (error) {
      // The codec's message names the field; the reader also needs the schema, as it holds several.
      const detail = error instanceof Error ? error.message : String(error);
      const source = local.source ?? `the local ${local.schemaType} schema`;
      throw new SchemaWireError(
        isSchemaWireError(error) ? error.code : ErrorCode.DeserializationFailed,
        `cannot deserialize schemaless payload with ${source}: ${detail}`,
        { ...messageContext(message), cause: error },
      );
    }
  }

  #compile(id: SchemaId, message: IncomingMessage | undefined): Promise<CodecEntry> {
    const key = codecKey(id);
    let compiling = this.#compiling.get(key);
    if (compiling === undefined) {
      compiling = this.#build(id)
        .then((entry) => {
          this.#codecs.set(key, entry);
          return entry;
        })
        .finally(() => this.#compiling.delete(key));
      this.#compiling.set(key, compiling);
    }
    // Every waiting message gets the failure with its own context; a foreign error becomes a typed one.
    return compiling.catch((error: unknown) => {
      throw wrapError(error, ErrorCode.DeserializationFailed, `cannot resolve schema ${schemaIdKey(id)}`, {
        ...(message === undefined ? {} : messageContext(message)),
        ...idContext(id),
      });
    });
  }

  async #build(id: SchemaId): Promise<CodecEntry> {
    const writer = await this.resolver.resolve(id);
    const format = this.#formats.get(writer.schema.schemaType);
    const reader = await this.#reader(writer);
    const codec = format.compile(writer, reader === undefined ? {} : { readerSchema: reader });
    const prefixed: Located = {
      schemaId: { kind: 'id', id: writer.schema.id },
      offset: CONFLUENT_PREFIX_SIZE,
      headerTail: undefined,
      carrier: 'prefix',
    };
    const typeNames = await this.#typeNames(format, reader ?? writer);
    const { schema } = writer;
    return {
      schema,
      schemaId: schema.id,
      schemaType: schema.schemaType,
      subject: schema.subject,
      version: schema.version,
      codec,
      usesMessageIndexes: format.usesMessageIndexes,
      prefixed,
      typeName: format.usesMessageIndexes ? undefined : typeNames.values().next().value,
      typeNamesByIndexes: format.usesMessageIndexes && typeNames.size > 0 ? typeNames : undefined,
      typed: typeNames.size > 0,
    };
  }

  /**
   * The type names of the handles whose schema is `decodedAs` (the schema values decode into), by the
   * message indexes of their message ('' for formats without): decided by canonical text, so a
   * payload is typed only when its schema is exactly a handle's.
   */
  async #typeNames(format: SchemaFormat, decodedAs: ResolvedSchema): Promise<Map<string, string>> {
    const typeNames = new Map<string, string>();
    const handles = this.#handles.filter((handle) => handle.schemaType === decodedAs.schema.schemaType);
    if (handles.length === 0) return typeNames;
    const text = format.canonicalize(decodedAs, false);
    for (const handle of handles) {
      if ((await this.#handleText(format, handle)) !== text) continue;
      const indexes = format.usesMessageIndexes
        ? (format.compile(
            decodedAs,
            handle.messageName === undefined ? {} : { messageName: handle.messageName },
          ).messageIndexes ?? FIRST_MESSAGE)
        : [];
      typeNames.set(indexes.join('.'), handle.typeName);
    }
    return typeNames;
  }

  #handleText(format: SchemaFormat, handle: AnySchemaHandle): Promise<string> {
    let text = this.#handleTexts.get(handle);
    if (text === undefined) {
      text = this.resolver.resolveSchema(handle).then(
        (resolved) => format.canonicalize(resolved, false),
        (error: unknown) => {
          // A registry that failed once (a reference not fetched) is asked again next time.
          this.#handleTexts.delete(handle);
          throw error;
        },
      );
      this.#handleTexts.set(handle, text);
    }
    return text;
  }

  async #reader(writer: ResolvedSchema): Promise<ResolvedSchema | undefined> {
    const option = this.#readerSchema;
    const schema = typeof option === 'function' ? option(writer.schema) : option;
    if (schema === undefined || schema.schemaType !== writer.schema.schemaType) return undefined;
    return this.resolver.resolveSchema(schema);
  }
}

const SCHEMALESS = {
  schemaId: undefined,
  subject: undefined,
  version: undefined,
  carrier: undefined,
} as const;

// UTF-8 text as a string; any other bytes as they are, as a string would replace them with U+FFFD.
function textOrBytes(payload: Buffer): UntypedDeserialized {
  return isUtf8(payload)
    ? { ...SCHEMALESS, schemaType: 'STRING', value: payload.toString('utf8') }
    : { ...SCHEMALESS, schemaType: 'BYTES', value: payload };
}

// The payload as JSON; throws why it is none. Bytes that are not UTF-8 would read as U+FFFD and could
// still parse, as a value that was never sent.
function schemalessJson(payload: Buffer): UntypedDeserialized {
  if (!isUtf8(payload)) throw new Error(`the payload is not UTF-8 text (payload ${describeValue(payload)})`);
  // Integers beyond 2^53 come as bigints, as the JSON Schema format has them, not rounded.
  const value = parseJsonExactly(payload.toString('utf8'), undefined, payload);
  return { ...SCHEMALESS, schemaType: 'JSON', value };
}

/**
 * Builds a decoded key or value with `new`, not an object literal: V8 decides per literal site
 * whether to allocate its objects in the old generation, from how many outlived the young collections
 * it sampled, and every message goes through this one site. The benchmark's cases run one after
 * another made it decide so; pretenured, each short-lived result cost a share of a full collection,
 * and the two-field Protobuf decode ran at half speed. Its prototype is Object.prototype, so results
 * are plain objects, as literals were.
 */
function decodedResult(
  this: { -readonly [K in keyof UntypedDeserialized]: UntypedDeserialized[K] },
  schemaId: number,
  schemaType: SchemaType,
  subject: string | undefined,
  version: number | undefined,
  carrier: SchemaIdCarrier,
  value: unknown,
): void {
  this.schemaId = schemaId;
  this.schemaType = schemaType;
  this.subject = subject;
  this.version = version;
  this.carrier = carrier;
  this.value = value;
}
decodedResult.prototype = Object.prototype;
const DecodedResult = decodedResult as unknown as new (
  ...args: Parameters<typeof decodedResult>
) => UntypedDeserialized;

function codecKey(id: SchemaId): number | string {
  return id.kind === 'id' ? id.id : schemaIdKey(id);
}

function idContext(id: SchemaId): { schemaId?: number } {
  return id.kind === 'id' ? { schemaId: id.id } : {};
}

function messageContext(message: IncomingMessage): { topic?: string; partition?: number; offset?: string } {
  return {
    ...(message.topic === undefined ? {} : { topic: message.topic }),
    ...(message.partition === undefined ? {} : { partition: message.partition }),
    ...(message.offset === undefined ? {} : { offset: message.offset }),
  };
}
