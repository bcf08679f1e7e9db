import type { Schema, SchemaFormat, SchemaResolver } from '@schemawire/core-client';
import type { CliIo } from './cli-io.js';
import { RawCodec } from './raw-codec.js';
import { readSchemaFile } from './schema-file.js';

/** The options of the reading commands that name the schemas of values that carry no schema id. */
export interface RawSchemaOptions {
  /** `FILE`, or with topics `TOPIC=FILE`. */
  readonly schema?: readonly string[] | string | undefined;
  readonly message?: string | undefined;
  readonly 'reader-schema'?: string | undefined;
}

/** The help lines of --message and --reader-schema, shared by decode and consume. */
export const readerOptionsHelp = `  --message <name>        with a .proto --schema: the message the values hold, e.g. pkg.MyMessage
                          (default the file's first)
  --reader-schema <file>  read Avro values into this schema (schema resolution: fields it adds take
                          their defaults, fields it drops are skipped), whatever schema wrote them
                          (default: read as written)`;

/** The schema --reader-schema names; undefined without it. */
export async function readReaderSchema(options: RawSchemaOptions, io: CliIo): Promise<Schema | undefined> {
  const file = options['reader-schema'];
  return file === undefined ? undefined : readSchemaFile(file, {}, io);
}

/**
 * The schema file --schema gives each topic, compiled: `TOPIC=FILE` for one of `topics`, `FILE` for
 * every topic (and for a message from no topic). Undefined for a topic no file is given for.
 */
export async function openRawCodecs(
  options: RawSchemaOptions,
  topics: readonly string[],
  compile: {
    readonly resolver: SchemaResolver;
    readonly formats: readonly SchemaFormat[];
    readonly readerSchema: Schema | undefined;
    readonly io: CliIo;
  },
): Promise<(topic: string | undefined) => RawCodec | undefined> {
  const given = options.schema === undefined ? [] : [options.schema].flat();
  const codecs = new Map<string | undefined, RawCodec>();
  for (const argument of given) {
    const equals = argument.indexOf('=');
    const topic =
      equals > 0 && topics.includes(argument.slice(0, equals)) ? argument.slice(0, equals) : undefined;
    const file = topic === undefined ? argument : argument.slice(equals + 1);
    const schema = await readSchemaFile(file, {}, compile.io);
    const codec = await RawCodec.open(schema, `schema file ${JSON.stringify(file)}`, compile.resolver, {
      formats: compile.formats,
      messageName: options.message,
      readerSchema: compile.readerSchema,
    });
    codecs.set(topic, codec);
  }
  return (topic) => (topic === undefined ? undefined : codecs.get(topic)) ?? codecs.get(undefined);
}
