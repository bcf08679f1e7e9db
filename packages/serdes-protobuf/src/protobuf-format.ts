import type { Longs, ResolvedSchema, SchemaFormat } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { canonicalProtoText, normalizedProto } from './canonical-proto.js';
import { jsonNamedRoot } from './json-names.js';
import { longConverter, toObjectWithLongs } from './long-values.js';
import type { CompiledMessage, DecodeTarget } from './protobuf-codec.js';
import { ProtobufCodec } from './protobuf-codec.js';
import { readerIncompatibilities } from './reader-incompatibilities.js';
import type { SchemaRoot } from './schema-root.js';
import { invalidSchema, loadSchemaRoot } from './schema-root.js';
import { isSerializedDescriptor, serializedDescriptorToProto } from './serialized-descriptor.js';

/** Options of {@link protobufFormat}. */
export interface ProtobufFormatOptions {
  /**
   * How decoded messages are returned: protobufjs `toObject` options for plain objects (default
   * {@link defaultToObjectOptions}), or `false` for protobufjs message instances.
   */
  readonly toObject?: protobuf.IConversionOptions | false;
  /**
   * The keys of decoded objects: `json` (default), the field's `json_name` or its lowerCamelCase
   * name as the proto3 JSON mapping has it, or `proto`, the names in the .proto file. Values to
   * encode may use either.
   */
  readonly fieldNames?: 'json' | 'proto';
  /** .proto files schemas may import without them being registered, by import path. */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * How the 64-bit integers (`int64`, `uint64`, `sint64`, `fixed64`, `sfixed64`) of decoded objects
   * come: a number within ±(2^53 - 1) and a bigint beyond (`number-or-bigint`), always a bigint, or
   * always decimal text (`string`). Without it, as `toObject.longs` says: by default decimal text,
   * as the proto3 JSON mapping has it. Encoding takes all three forms (and Longs).
   */
  readonly longs?: Longs;
}

/**
 * The `toObject` options decoded messages get by default, those of the proto3 JSON mapping: 64-bit
 * integers as decimal strings (exact, where JS numbers are not), enums by name, bytes as base64,
 * fields left unset at their defaults, and which field of each oneof is set.
 */
export const defaultToObjectOptions: Readonly<protobuf.IConversionOptions> = Object.freeze({
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  oneofs: true,
});

/**
 * The Protobuf format, built on protobufjs. A schema is .proto text (proto2 or proto3), or a
 * base64 `FileDescriptorProto` as Confluent's registry also takes; its references are the files it
 * imports, under their import paths, and the well-known types (`google/protobuf/*.proto`) need no
 * registration. Messages carry Confluent's message indexes: the path of their type among the file's
 * message types.
 */
export function protobufFormat(options: ProtobufFormatOptions = {}): SchemaFormat {
  const extraFiles = new Map(Object.entries(options.files ?? {}));
  const givenToObject = options.toObject ?? defaultToObjectOptions;
  const toObject =
    options.longs === undefined || givenToObject === false
      ? givenToObject
      : toObjectWithLongs(givenToObject, options.longs);
  const longs = options.longs === undefined ? undefined : longConverter(options.longs);
  const jsonNames = (options.fieldNames ?? 'json') === 'json' && toObject !== false;
  return {
    schemaType: 'PROTOBUF',
    usesMessageIndexes: true,
    compile(schema, compileOptions) {
      const writer = compiledMessages(loadSchemaRoot(schema, extraFiles), jsonNames);
      const messageName = compileOptions?.messageName;
      const message =
        messageName === undefined
          ? writer.messages[0]
          : writer.byName.get(messageName.startsWith('.') ? messageName.slice(1) : messageName);
      if (message === undefined) {
        const known = [...writer.byName.keys()].map((name) => JSON.stringify(name)).join(', ');
        throw invalidSchema(
          messageName === undefined
            ? 'the schema has no message type to write'
            : `the schema has no message ${JSON.stringify(messageName)} (its messages: ${known || 'none'})`,
        );
      }
      const readerSchema = compileOptions?.readerSchema;
      let decodeTargets: DecodeTarget[];
      if (readerSchema === undefined) {
        decodeTargets = writer.messages.map((compiled) => ({ indexes: compiled.indexes, message: compiled }));
      } else {
        const reader = loadSchemaRoot(readerSchema, extraFiles);
        const readerView = jsonNames ? jsonNamedRoot(reader.root) : reader.root;
        decodeTargets = writer.messages.map((compiled) => {
          const type = reader.root.lookup(compiled.type.fullName);
          return {
            indexes: compiled.indexes,
            message:
              type instanceof protobuf.Type
                ? {
                    ...compiled,
                    type,
                    view: readerView === reader.root ? type : readerView.lookupType(type.fullName),
                  }
                : `the reader schema has no message ${JSON.stringify(compiled.fullName)}`,
          };
        });
      }
      return new ProtobufCodec({
        message,
        byName: writer.byName,
        decodeTargets,
        choosesByValue: messageName === undefined,
        toObject,
        longs,
        jsonLongs: options.longs ?? 'string',
      });
    },
    validate(schema) {
      loadSchemaRoot(schema, extraFiles);
    },
    canonicalize(schema, normalize) {
      if (normalize) return normalizedProto(loadSchemaRoot(schema, extraFiles));
      const text = schema.schema.schema;
      return canonicalProtoText(isSerializedDescriptor(text) ? serializedDescriptorToProto(text) : text);
    },
    readerIncompatibilities(reader, writer, newer) {
      return readerIncompatibilities(
        loadSchemaRoot(reader, extraFiles),
        loadSchemaRoot(writer, extraFiles),
        newer === undefined ? isNewer(reader, writer) : newer === 'reader',
      );
    },
  };
}

/**
 * The protobufjs Root of a schema (with its imports) as {@link protobufFormat} with the same `files`
 * and `fieldNames` loads it, its fields and oneofs named as decoded objects' keys, and the file's
 * message types in message-index order. For tools that read schemas, such as code generators.
 */
export function protobufSchemaRoot(
  schema: ResolvedSchema,
  options: Pick<ProtobufFormatOptions, 'files' | 'fieldNames'> = {},
): { readonly root: protobuf.Root; readonly messages: readonly protobuf.Type[] } {
  const loaded = loadSchemaRoot(schema, new Map(Object.entries(options.files ?? {})));
  const root = (options.fieldNames ?? 'json') === 'json' ? jsonNamedRoot(loaded.root) : loaded.root;
  return { root, messages: loaded.messages.map((message) => root.lookupType(message.type.fullName)) };
}

interface CompiledMessages {
  /** In message-index order: the first is `[0]`. */
  readonly messages: readonly CompiledMessage[];
  readonly byName: ReadonlyMap<string, CompiledMessage>;
}

function compiledMessages(schema: SchemaRoot, jsonNames: boolean): CompiledMessages {
  const view = jsonNames ? jsonNamedRoot(schema.root) : schema.root;
  const messages = schema.messages.map(
    ({ indexes, type }): CompiledMessage => ({
      indexes,
      fullName: type.fullName.slice(1),
      type,
      view: view === schema.root ? type : view.lookupType(type.fullName),
    }),
  );
  return { messages, byName: new Map(messages.map((message) => [message.fullName, message])) };
}

/**
 * Whether `a` is the newer of two schemas, for the rule on removed fields when the caller does not
 * say: a schema with no version yet is newer than a registered one, a higher version newer than a
 * lower; with no versions at all, the reader counts as the newer, as in a BACKWARD check.
 */
function isNewer(a: ResolvedSchema, b: ResolvedSchema): boolean {
  const [versionA, versionB] = [a.schema.version, b.schema.version];
  if (versionA === undefined) return true;
  if (versionB === undefined) return false;
  return versionA >= versionB;
}
