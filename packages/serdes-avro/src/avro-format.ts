import type { Longs, ResolvedSchema, SchemaFormat } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import avsc from 'avsc';
import { AvroCodec } from './avro-codec.js';
import { canonicalJson } from './canonical-json.js';
import type { JsonUnions } from './json-values.js';
import type { LogicalTypeClass } from './logical-types.js';
import { builtInLogicalTypes, UnknownLogicalType } from './logical-types.js';
import { unionsTakeLongForms } from './long-unions.js';
import type { Resolver } from './schema-resolution.js';
import { createResolver, readerIncompatibilities } from './schema-resolution.js';
import { avroTypeHook } from './type-hook.js';

/** Options of {@link avroFormat}. */
export interface AvroFormatOptions {
  /** avsc logical type classes by name, added to the built-in ones or replacing them. */
  readonly logicalTypes?: Readonly<Record<string, LogicalTypeClass>>;
  /**
   * How decoded `long`s come: a number within ±(2^53 - 1) and a bigint beyond
   * (`number-or-bigint`, the default), always a bigint, or always decimal text. Longs under a
   * logical type are the logical type's. Encoding takes all three forms.
   */
  readonly longs?: Longs;
  /**
   * What encoding does with a record field the schema does not have: refuse the value, naming the
   * field (`refuse`, the default), or drop the field as avsc does (`ignore`).
   */
  readonly unknownFields?: 'refuse' | 'ignore';
  /**
   * How unions look in the JSON form (the codec's `toJson`, and what its `fromJson` reads):
   * `unwrapped` (the default), a branch's value alone as avsc takes it, or `avro-json`, the Avro
   * specification's JSON encoding, `{"string":"x"}`. Text that two branches could read (a string and a
   * base64 bytes or a date) goes to the first that takes it when unwrapped: use `avro-json` where that
   * matters. `fromJson` takes unwrapped values in both.
   */
  readonly jsonUnions?: JsonUnions;
}

type ForSchemaOptions = NonNullable<Parameters<typeof avsc.Type.forSchema>[1]>;
type ParseOptions = Pick<ForSchemaOptions, 'logicalTypes' | 'typeHook'>;

/**
 * The Avro format, built on avsc. Values are avsc's: records are objects, bytes and fixed are Buffers,
 * longs are exact over all 64 bits (numbers where a number holds them, bigints beyond: see
 * {@link AvroFormatOptions.longs}; a bigint or decimal text is written too), and
 * a union takes its branch's value as is when the branches can be told apart by value (`null` or a
 * string for `["null","string"]`), else wrapped in an object keyed by the branch's name. Built-in
 * logical types: `timestamp-millis` and `date` as `Date`, `timestamp-micros` as a number of
 * microseconds, `uuid` as a checked string, `decimal` as a decimal string; `time-millis`,
 * `time-micros`, `timestamp-nanos` and the `local-timestamp-*` kinds stay their counts. Codecs give
 * and read the Avro JSON form of values (`toJson`, `fromJson`), and refuse to write a record field
 * the schema does not have (see {@link AvroFormatOptions}). Schema references name
 * the referenced type's full name; named types compare by unqualified name when resolving, as the
 * Avro spec says.
 */
export function avroFormat(options: AvroFormatOptions = {}): SchemaFormat {
  const parseOptions = parseOptionsOf(options);
  const { logicalTypes } = parseOptions;
  const jsonUnions = options.jsonUnions ?? 'unwrapped';
  return {
    schemaType: 'AVRO',
    usesMessageIndexes: false,
    compile(schema, compileOptions) {
      const writer = parseType(schema, parseOptions);
      if (compileOptions?.readerSchema === undefined) return new AvroCodec(writer, jsonUnions);
      const reader = parseType(compileOptions.readerSchema, parseOptions);
      let resolver: Resolver;
      try {
        resolver = createResolver(reader, writer);
      } catch {
        const problems = readerIncompatibilities(reader, writer).join('; ');
        throw new SchemaWireError(
          ErrorCode.IncompatibleSchema,
          `cannot read data of schema ${schema.schema.id} with the reader schema: ${problems}`,
          { schemaId: schema.schema.id },
        );
      }
      return new AvroCodec(writer, jsonUnions, { type: reader, resolver });
    },
    validate(schema) {
      parseType(schema, parseOptions);
    },
    canonicalize(schema, normalize) {
      if (!normalize) return canonicalJson(parseJson(schema.schema.schema, ''));
      // Logical types this format does not know would vanish from avsc's schema; keep them.
      const known = { ...logicalTypes };
      for (const text of [
        schema.schema.schema,
        ...schema.dependencies.map((dependency) => dependency.schema.schema),
      ]) {
        for (const name of logicalTypeNames(parseJson(text, ''))) known[name] ??= UnknownLogicalType;
      }
      return canonicalJson(parseType(schema, { logicalTypes: known }).schema({ exportAttrs: true }));
    },
    readerIncompatibilities(reader, writer) {
      return readerIncompatibilities(parseType(reader, parseOptions), parseType(writer, parseOptions));
    },
  };
}

/**
 * The avsc type of a schema (with its references) as {@link avroFormat} with the same options compiles
 * it: its values are those the codec decodes. For tools that read schemas, such as code generators.
 */
export function avroSchemaType(schema: ResolvedSchema, options: AvroFormatOptions = {}): avsc.Type {
  return parseType(schema, parseOptionsOf(options));
}

function parseOptionsOf(
  options: AvroFormatOptions,
): ParseOptions & { readonly logicalTypes: Record<string, LogicalTypeClass> } {
  const logicalTypes = { ...builtInLogicalTypes, ...options.logicalTypes };
  return { logicalTypes, typeHook: avroTypeHook(logicalTypes, options.longs, options.unknownFields) };
}

/** Parses the dependencies, then the schema, into one registry, so named types from references resolve. */
function parseType(resolved: ResolvedSchema, options: ParseOptions): avsc.Type {
  // One options object for all: when a logical type fails, avsc goes on with a copy of the registry.
  const forSchemaOptions: Partial<ForSchemaOptions> = { ...options, registry: {}, omitRecordMethods: true };
  for (const { name, schema } of resolved.dependencies) {
    const version = schema.version === undefined ? '' : `, version ${schema.version}`;
    const subject =
      schema.subject === undefined ? '' : ` (subject ${JSON.stringify(schema.subject)}${version})`;
    parseOne(schema.schema, forSchemaOptions, `reference ${JSON.stringify(name)}${subject}: `);
  }
  const type = parseOne(resolved.schema.schema, forSchemaOptions, '');
  unionsTakeLongForms(type);
  return type;
}

function parseOne(text: string, options: Partial<ForSchemaOptions>, context: string): avsc.Type {
  const json = parseJson(text, context);
  try {
    return avsc.Type.forSchema(json as Parameters<typeof avsc.Type.forSchema>[0], options);
  } catch (error) {
    throw invalidSchema(`${context}${error instanceof Error ? error.message : String(error)}`, error);
  }
}

function parseJson(text: string, context: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidSchema(
      `${context}invalid json: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

function invalidSchema(detail: string, cause: unknown): SchemaWireError {
  return new SchemaWireError(ErrorCode.InvalidSchema, `cannot parse avro schema: ${detail}`, { cause });
}

function logicalTypeNames(json: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(json)) {
    for (const item of json) logicalTypeNames(item, names);
  } else if (typeof json === 'object' && json !== null) {
    const { logicalType } = json as { logicalType?: unknown };
    if (typeof logicalType === 'string') names.add(logicalType);
    for (const value of Object.values(json)) logicalTypeNames(value, names);
  }
  return names;
}
