import type {
  ResolvedSchema,
  Schema,
  SchemaFormat,
  SchemaReference,
  SchemaType,
} from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

/** The JSON the test format reads: properties a writer writes, fields a reader requires, names it imports. */
export interface TextSchema {
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly imports?: readonly string[];
}

/**
 * A test-only format over JSON schema texts. Canonical text is JSON with sorted keys; normalizing also
 * drops `description`, so tests can tell the two modes apart. A reader is incompatible with a writer
 * that lacks a property the reader requires. Each name in `imports` must be a resolved reference.
 */
export function textFormat(schemaType: SchemaType = 'JSON'): SchemaFormat {
  return {
    schemaType,
    usesMessageIndexes: false,
    compile() {
      throw new SchemaWireError(
        ErrorCode.Unsupported,
        'cannot compile schema: the text format only compares',
      );
    },
    validate(schema) {
      const parsed = parse(schema);
      const names = schema.dependencies.map((dependency) => dependency.name);
      for (const name of parsed.imports ?? []) {
        if (!names.includes(name)) {
          throw new SchemaWireError(
            ErrorCode.InvalidSchema,
            `cannot parse schema: import ${JSON.stringify(name)} is not a reference`,
          );
        }
      }
    },
    canonicalize(schema, normalize) {
      return JSON.stringify(sortKeys(parse(schema), normalize));
    },
    readerIncompatibilities(reader, writer) {
      const written = Object.keys(parse(writer).properties ?? {});
      return (parse(reader).required ?? [])
        .filter((field) => !written.includes(field))
        .map((field) => `field ${JSON.stringify(field)} is required but not written`);
    },
  };
}

/** A schema of the test format. */
export function textSchema(
  text: TextSchema,
  references: readonly SchemaReference[] = [],
  schemaType: SchemaType = 'JSON',
): Schema {
  return { schemaType, schema: JSON.stringify(text), references };
}

function parse(schema: ResolvedSchema): TextSchema {
  let value: unknown;
  try {
    value = JSON.parse(schema.schema.schema);
  } catch (error) {
    throw new SchemaWireError(ErrorCode.InvalidSchema, `cannot parse schema: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemaWireError(ErrorCode.InvalidSchema, 'cannot parse schema: it is not a JSON object');
  }
  return value as TextSchema;
}

function sortKeys(value: unknown, normalize: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, normalize));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (normalize && key === 'description') continue;
    out[key] = sortKeys((value as Record<string, unknown>)[key], normalize);
  }
  return out;
}
