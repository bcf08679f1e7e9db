import type { ResolvedDependency, ResolvedSchema, ResolvedSchemaOptions } from '@schemawire/core-client';
import { resolvedSchema as coreResolvedSchema } from '@schemawire/core-client';

/** A resolved Avro schema built by hand; `schema` is JSON text, or a value to stringify. */
export function resolvedSchema(schema: unknown, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return coreResolvedSchema('AVRO', typeof schema === 'string' ? schema : JSON.stringify(schema), options);
}

/** A schema other schemas reference by `name`, the full name of the type it defines. */
export function dependency(name: string, schema: unknown, subject: string, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(schema, { subject, version }).schema };
}
