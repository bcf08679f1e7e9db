import { ErrorCode, SchemaWireError } from './errors.js';
import type { SchemaType } from './schema.js';
import type { SchemaFormat } from './schema-format.js';

/** The formats a serializer, deserializer or registry knows, by schema type. */
export class SchemaFormats {
  readonly #byType = new Map<SchemaType, SchemaFormat>();

  constructor(formats: Iterable<SchemaFormat>) {
    for (const format of formats) this.#byType.set(format.schemaType, format);
  }

  /** The format of `schemaType`; SCHEMAWIRE_UNSUPPORTED_SCHEMA_TYPE when none was given. */
  get(schemaType: SchemaType): SchemaFormat {
    const format = this.#byType.get(schemaType);
    if (format === undefined) {
      const known = [...this.#byType.keys()].join(', ') || 'none';
      throw new SchemaWireError(
        ErrorCode.UnsupportedSchemaType,
        `cannot handle schema type ${JSON.stringify(schemaType)}: no format for it is configured (configured: ${known})`,
      );
    }
    return format;
  }

  /** The schema types there is a format for. */
  types(): SchemaType[] {
    return [...this.#byType.keys()];
  }
}
