import type { ResolvedDependency, ResolvedSchema } from '@schemawire/core-client';

/** Where a test schema was registered, and the schemas it references. */
export interface ResolvedSchemaOptions {
  readonly id?: number;
  readonly subject?: string;
  readonly version?: number;
  readonly dependencies?: readonly ResolvedDependency[];
}

/** A resolved Protobuf schema built by hand from .proto text. */
export function resolvedSchema(text: string, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return {
    schema: {
      id: options.id ?? 1,
      schemaType: 'PROTOBUF',
      schema: text,
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

/** A file other schemas import as `name`, registered under `subject`. */
export function dependency(name: string, text: string, subject: string, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(text, { subject, version }).schema };
}
