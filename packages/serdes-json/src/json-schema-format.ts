import type { Longs, SchemaFormat } from '@schemawire/core-client';
import type { Format } from 'ajv';
import type * as AjvCore from 'ajv/dist/core.js';
import { canonicalJson, normalizeSchema } from './canonical-json.js';
import { JsonCodec } from './json-codec.js';
import type { CompilerSettings } from './json-schema-compiler.js';
import { compileSchema, parseSchemaText } from './json-schema-compiler.js';
import { readerIncompatibilities } from './schema-compatibility.js';

/** Options of {@link jsonSchemaFormat}. */
export interface JsonSchemaFormatOptions {
  /** Check values against the schema before writing them; default true. */
  readonly validateOnSerialize?: boolean;
  /** Check values against the schema (the reader schema, when one is given) after reading them; default false. */
  readonly validateOnDeserialize?: boolean;
  /** Validators of `format` values by name (`email`, `date-time` …); formats not given pass unchecked. */
  readonly formats?: Readonly<Record<string, Format>>;
  /**
   * Called with each ajv instance before any schema is added to it, to add formats (ajv-formats),
   * keywords or vocabularies.
   */
  readonly configure?: (ajv: AjvCore.default) => void;
  /**
   * How decoded integers beyond ±(2^53 - 1), which a number cannot hold, come: bigints
   * (`number-or-bigint`, the default, and `bigint`) or decimal text (`string`). JSON Schema has no
   * 64-bit type: other integers are numbers whatever the option. Encoding takes bigints.
   */
  readonly longs?: Longs;
}

/**
 * The JSON Schema format, built on ajv: draft-07 (also when `$schema` is absent) and 2020-12. A
 * message body is the value's UTF-8 JSON text; the schema checks values, on writing by default and on
 * reading when asked; integers beyond 2^53 are bigints both ways (see
 * {@link JsonSchemaFormatOptions.longs}). References are other subjects' schemas under the URL the `$ref` uses. The
 * type name of the Record strategies is the schema's `title`, else its `$id`.
 */
export function jsonSchemaFormat(options: JsonSchemaFormatOptions = {}): SchemaFormat {
  const validateOnSerialize = options.validateOnSerialize ?? true;
  const validateOnDeserialize = options.validateOnDeserialize ?? false;
  const settings: CompilerSettings = { formats: options.formats, configure: options.configure };
  return {
    schemaType: 'JSON',
    usesMessageIndexes: false,
    compile(schema, compileOptions) {
      const writer = compileSchema(schema, settings);
      const reader =
        validateOnDeserialize && compileOptions?.readerSchema !== undefined
          ? compileSchema(compileOptions.readerSchema, settings)
          : writer;
      return new JsonCodec(
        {
          encode: validateOnSerialize ? writer.validate : undefined,
          decode: validateOnDeserialize ? reader.validate : undefined,
        },
        typeName(writer.root),
        options.longs ?? 'number-or-bigint',
      );
    },
    validate(schema) {
      compileSchema(schema, settings);
    },
    canonicalize(schema, normalize) {
      const json = parseSchemaText(schema.schema.schema, '');
      return canonicalJson(normalize ? normalizeSchema(json) : json);
    },
    readerIncompatibilities,
  };
}

function typeName(root: unknown): string | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const { title, $id } = root as { title?: unknown; $id?: unknown };
  if (typeof title === 'string' && title !== '') return title;
  return typeof $id === 'string' && $id !== '' ? $id : undefined;
}
