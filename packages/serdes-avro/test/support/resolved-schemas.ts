import type { ResolvedDependency, ResolvedSchema } from '@schemawire/core-client';

/** Where a test schema was registered, and the schemas it references. */
export interface ResolvedSchemaOptions {
  readonly id?: number;
  readonly subject?: string;
  readonly version?: number;
  readonly dependencies?: readonly ResolvedDependency[];
}

/** A resolved Avro schema built by hand; `schema` is JSON text, or a value to stringify. */
export function resolvedSchema(schema: unknown, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return {
    schema: {
      id: options.id ?? 1,
      schemaType: 'AVRO',
      schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
      references: (options.dependencies ?? []).map(({ name, schema: dependency }) => ({
        name,
        subject: dependency.subject ?? name,
        version: dependency.version ?? 1,
      })),
      ...(options.subject === undefined ? {} : { subject: options.subject }),
      ...(options.version === undefined ? {} : { version: options.version }),
    },
    dependencies: options.dependencies ?? [],
  };
}

/** A schema other schemas reference by `name`, the full name of the type it defines. */
export function dependency(name: string, schema: unknown, subject: string, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(schema, { subject, version }).schema };
}
