import { LruCache } from './cache.js';
import { ErrorCode, SchemaWireError, wrapError } from './errors.js';
import type { RegisteredSchema, ResolvedSchema, Schema } from './schema.js';
import type { SchemaCodec, SchemaFormat } from './schema-format.js';
import { SchemaFormats } from './schema-formats.js';
import type { InputOf } from './schema-handle.js';
import { isSchemaHandle } from './schema-handle.js';
import type { CarrierOptions, Frame, SchemaIdCarrier } from './schema-id-carrier.js';
import { buildFrame } from './schema-id-carrier.js';
import type { SchemaRegistryClient } from './schema-registry.js';
import { SchemaResolver } from './schema-resolver.js';
import type { PayloadSerializer } from './schemaless.js';
import type { SubjectNameStrategy } from './subject-name-strategy.js';
import { subjectNameStrategies } from './subject-name-strategy.js';

/** Options of a {@link Serializer}; `T`, the type of the values it takes, comes from a schema handle. */
export interface SerializerOptions<T = unknown> extends CarrierOptions {
  /** The registry, or a resolver to share its caches with other serializers and deserializers. */
  readonly registry: SchemaResolver | SchemaRegistryClient;
  /** The formats (Avro, Protobuf, JSON Schema) this serializer may write. */
  readonly formats: SchemaFormats | readonly SchemaFormat[];
  /**
   * The schema values are written with; needed unless `useLatestVersion` or `useSchemaId`. A schema
   * handle (see `schemawire codegen`) types the values and names the Protobuf message to write.
   */
  readonly schema?: Schema & { readonly '~types'?: { readonly input: T } };
  /** Serialize message keys (subject `<topic>-key`, `__key_schema_id` header) instead of values. */
  readonly isKey?: boolean;
  /** How the subject is named: `topic` (default), `record`, `topicRecord` or a function. */
  readonly subjectNameStrategy?: keyof typeof subjectNameStrategies | SubjectNameStrategy;
  /** Register `schema` when the subject does not hold it yet (default when `schema` is given). */
  readonly autoRegister?: boolean;
  /** Write with the subject's latest version instead of a given schema. */
  readonly useLatestVersion?: boolean;
  /** Write with the schema of this id. */
  readonly useSchemaId?: number;
  /** Ask the registry to normalize the schema when registering or looking it up. */
  readonly normalize?: boolean;
  /** Where the schema id travels; default `prefix`. */
  readonly carrier?: SchemaIdCarrier;
  /**
   * The message type to write, for formats whose schemas hold several (Protobuf full name); default
   * the schema handle's.
   */
  readonly messageName?: string;
  /** Topics whose schema is kept ready; default 1000. */
  readonly maxTopics?: number;
  /**
   * Values are plain JSON data (parsed from text, as the CLI reads them): the codec's `fromJson`
   * turns the text forms of bytes into bytes before encoding. Off by default.
   */
  readonly jsonValues?: boolean;
}

/**
 * A serialized key or value: the bytes, and the header or key that carries the schema id when the
 * carrier is not the prefix. A value serializer's `bytes` go in the message value, a key serializer's
 * in the message key.
 */
export interface SerializedPayload {
  readonly bytes: Buffer | null;
  readonly headers?: Record<string, Buffer>;
  /** The message key that carries the schema id (key carrier only). */
  readonly key?: Buffer;
}

interface TopicEntry {
  readonly schema: RegisteredSchema;
  readonly subject: string;
  readonly codec: SchemaCodec;
  readonly frame: Frame;
  /** Frames of the messages values chose by their type (codecs with `messageIndexesOf`), by indexes. */
  readonly framesByIndexes: Map<string, Frame> | undefined;
}

const TOMBSTONE: SerializedPayload = Object.freeze({ bytes: null });

/**
 * Serializes keys or values for topics: finds or registers the schema once per topic, then writes
 * each message synchronously with the cached codec and frame. `T` is the type of the values it takes:
 * that of its schema handle, or `unknown` for a plain schema.
 */
export class Serializer<T = unknown> implements PayloadSerializer<T> {
  readonly resolver: SchemaResolver;
  readonly #formats: SchemaFormats;
  readonly #options: SerializerOptions<T>;
  readonly #messageName: string | undefined;
  readonly #isKey: boolean;
  readonly #jsonValues: boolean;
  readonly #carrier: SchemaIdCarrier;
  readonly #strategy: SubjectNameStrategy;
  readonly #autoRegister: boolean;
  readonly #topics: LruCache<string, TopicEntry>;
  readonly #loading = new Map<string, Promise<TopicEntry>>();

  constructor(options: SerializerOptions<T>) {
    this.resolver =
      options.registry instanceof SchemaResolver ? options.registry : new SchemaResolver(options.registry);
    this.#formats =
      options.formats instanceof SchemaFormats ? options.formats : new SchemaFormats(options.formats);
    this.#options = options;
    const { schema } = options;
    this.#messageName =
      options.messageName ??
      (schema !== undefined && isSchemaHandle(schema) ? schema.messageName : undefined);
    this.#isKey = options.isKey ?? false;
    this.#jsonValues = options.jsonValues ?? false;
    this.#carrier = options.carrier ?? 'prefix';
    const strategy = options.subjectNameStrategy ?? 'topic';
    this.#strategy = typeof strategy === 'function' ? strategy : subjectNameStrategies[strategy];
    if (options.useLatestVersion === true && options.useSchemaId !== undefined) {
      throw configError('useLatestVersion and useSchemaId exclude each other');
    }
    const fixed = options.useLatestVersion === true || options.useSchemaId !== undefined;
    if (options.autoRegister === true && fixed) {
      throw configError('autoRegister needs the schema to write, not useLatestVersion or useSchemaId');
    }
    if (!fixed && options.schema === undefined) {
      throw configError('a schema is needed unless useLatestVersion or useSchemaId is set');
    }
    if (this.#carrier === 'key' && this.#isKey) {
      throw configError('the key carrier writes the schema id into the key, so it cannot serialize keys');
    }
    this.#autoRegister = options.autoRegister ?? !fixed;
    this.#topics = new LruCache(options.maxTopics ?? 1000);
  }

  /**
   * Serializes `value` for `topic` when its schema is ready (after {@link prepare} or one
   * {@link serialize}); SCHEMAWIRE_NOT_CACHED otherwise. `null` passes through as a tombstone.
   */
  serializeSync(topic: string, value: T | null): SerializedPayload {
    if (value === null) return TOMBSTONE;
    const entry = this.#topics.get(topic);
    if (entry === undefined) {
      throw new SchemaWireError(
        ErrorCode.NotCached,
        `cannot serialize synchronously: no schema is ready for topic ${JSON.stringify(topic)}; await prepare() first`,
        {
          topic,
        },
      );
    }
    return this.#write(entry, topic, value);
  }

  /** Serializes `value` for `topic`, fetching or registering its schema first when needed. */
  async serialize(topic: string, value: T | null): Promise<SerializedPayload> {
    if (value === null) return TOMBSTONE;
    const entry = this.#topics.get(topic) ?? (await this.#load(topic));
    return this.#write(entry, topic, value);
  }

  /**
   * A serializer with this one's registry caches, formats and options that writes `schema` instead
   * (and the message its handle names): typed by the handle, as one built from it would be.
   */
  withSchema<S extends Schema>(schema: S): Serializer<InputOf<S>> {
    const { messageName: _, ...options } = this.#options;
    return new Serializer<InputOf<S>>({
      ...options,
      registry: this.resolver,
      formats: this.#formats,
      schema: schema as Schema & { readonly '~types'?: { readonly input: InputOf<S> } },
    });
  }

  /** Makes the schema of `topic` ready, so {@link serializeSync} works; returns it. */
  async prepare(topic: string): Promise<RegisteredSchema> {
    return (this.#topics.get(topic) ?? (await this.#load(topic))).schema;
  }

  #write(entry: TopicEntry, topic: string, given: unknown): SerializedPayload {
    let frame = entry.frame;
    let bytes: Buffer;
    try {
      const value =
        this.#jsonValues && entry.codec.fromJson !== undefined ? entry.codec.fromJson(given) : given;
      if (entry.framesByIndexes !== undefined) frame = this.#frameOf(entry, entry.framesByIndexes, value);
      const { prefix } = frame;
      bytes = entry.codec.encode(value, prefix.length);
      if (bytes.length < prefix.length) {
        throw new RangeError(
          `the codec returned ${bytes.length} bytes, fewer than the frame's ${prefix.length}`,
        );
      }
      // A byte loop, not Buffer#copy or TypedArray#set: the frame is a few bytes, and their argument
      // handling costs more than the copy.
      for (let i = 0; i < prefix.length; i++) bytes[i] = prefix[i]!;
    } catch (error) {
      throw wrapError(error, ErrorCode.SerializationFailed, 'cannot serialize value', {
        topic,
        schemaId: entry.schema.id,
        subject: entry.subject,
      });
    }
    if (frame.headerName !== undefined) return { bytes, headers: { [frame.headerName]: frame.headerValue! } };
    if (frame.key !== undefined) return { bytes, key: frame.key };
    return { bytes };
  }

  // Built once per message type and kept: the file's message types bound how many there can be.
  #frameOf(entry: TopicEntry, frames: Map<string, Frame>, value: unknown): Frame {
    const indexes = entry.codec.messageIndexesOf!(value);
    if (indexes === undefined) return entry.frame;
    const key = indexes.join('.');
    let frame = frames.get(key);
    if (frame === undefined) {
      frame = buildFrame(this.#carrier, entry.schema, indexes, this.#isKey, this.#options);
      frames.set(key, frame);
    }
    return frame;
  }

  #load(topic: string): Promise<TopicEntry> {
    let loading = this.#loading.get(topic);
    if (loading === undefined) {
      loading = this.#resolveTopic(topic)
        .then(
          (entry) => {
            this.#topics.set(topic, entry);
            return entry;
          },
          (error: unknown) => {
            throw wrapError(error, ErrorCode.SerializationFailed, 'cannot prepare serializer', { topic });
          },
        )
        .finally(() => this.#loading.delete(topic));
      this.#loading.set(topic, loading);
    }
    return loading;
  }

  async #resolveTopic(topic: string): Promise<TopicEntry> {
    const options = this.#options;
    const compileOptions = this.#messageName === undefined ? {} : { messageName: this.#messageName };
    let written: ResolvedSchema;
    let codec: SchemaCodec;
    let subject: string;
    if (options.useSchemaId !== undefined) {
      written = await this.resolver.resolve({ kind: 'id', id: options.useSchemaId });
      codec = this.#formats.get(written.schema.schemaType).compile(written, compileOptions);
      subject = written.schema.subject ?? this.#subject(topic, codec.typeName);
    } else if (options.useLatestVersion === true) {
      const typeName =
        options.schema === undefined ? undefined : (await this.#compileGiven(options.schema)).typeName;
      subject = this.#subject(topic, typeName);
      written = await this.resolver.version(subject, 'latest');
      codec = this.#formats.get(written.schema.schemaType).compile(written, compileOptions);
    } else {
      const schema = options.schema!;
      codec = await this.#compileGiven(schema);
      subject = this.#subject(topic, codec.typeName);
      const registerOptions = options.normalize === undefined ? {} : { normalize: options.normalize };
      let registered = this.#autoRegister
        ? await this.resolver.register(subject, schema, registerOptions)
        : await this.resolver.lookup(subject, schema, registerOptions);
      // A globalId names a version, not content: the schema by id cannot have it, the subject's version can.
      if (this.#needsGlobalId(registered) && this.#autoRegister) {
        registered = {
          ...(await this.resolver.lookup(subject, schema, registerOptions)),
          ...pickDefined(registered),
        };
      }
      written = { schema: registered, dependencies: [] };
    }
    let schema = written.schema;
    // Registration answers may lack the guid a header carrier needs (or, for a fixed id, the globalId);
    // the schema by id has them where the registry gives them.
    if ((this.#carrier === 'confluent-header' && schema.guid === undefined) || this.#needsGlobalId(schema)) {
      schema = {
        ...(await this.resolver.resolve({ kind: 'id', id: schema.id })).schema,
        ...pickDefined(schema),
      };
    }
    const frame = buildFrame(this.#carrier, schema, codec.messageIndexes, this.#isKey, options);
    const framesByIndexes = codec.messageIndexesOf === undefined ? undefined : new Map<string, Frame>();
    return { schema, subject, codec, frame, framesByIndexes };
  }

  #needsGlobalId(schema: RegisteredSchema): boolean {
    return (
      this.#carrier === 'apicurio-header' &&
      this.#options.apicurioId === 'globalId' &&
      schema.globalId === undefined
    );
  }

  async #compileGiven(schema: Schema): Promise<SchemaCodec> {
    const resolved = await this.resolver.resolveSchema(schema);
    const messageName = this.#messageName;
    return this.#formats
      .get(schema.schemaType)
      .compile(resolved, messageName === undefined ? {} : { messageName });
  }

  #subject(topic: string, typeName: string | undefined): string {
    return this.#strategy({ topic, isKey: this.#isKey, typeName });
  }
}

function pickDefined(schema: RegisteredSchema): Partial<RegisteredSchema> {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

function configError(detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.Config, `cannot create serializer: ${detail}`);
}
