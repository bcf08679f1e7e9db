import type { ResolvedDependency, ResolvedSchema, ResolvedSchemaOptions } from '@schemawire/core-client';
import { resolvedSchema as coreResolvedSchema } from '@schemawire/core-client';

/** A resolved Protobuf schema built by hand from .proto text. */
export function resolvedSchema(text: string, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return coreResolvedSchema('PROTOBUF', text, options);
}

/** A file other schemas import as `name`, registered under `subject`. */
export function dependency(name: string, text: string, subject: string, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(text, { subject, version }).schema };
}
