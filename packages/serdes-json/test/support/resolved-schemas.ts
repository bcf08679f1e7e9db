import { readFileSync } from 'node:fs';
import type { ResolvedDependency, ResolvedSchema, ResolvedSchemaOptions } from '@schemawire/core-client';
import { resolvedSchema as coreResolvedSchema } from '@schemawire/core-client';

/** The seed's example message schema, schemas/my_json_message.json, as text. */
export const myJsonMessageText = readFileSync(
  new URL('../../../../schemas/my_json_message.json', import.meta.url),
  'utf8',
);

/** The seed's example message schema, parsed. */
export const myJsonMessage = JSON.parse(myJsonMessageText) as Record<string, unknown>;

/** A resolved JSON schema built by hand; `schema` is JSON text, or a value to stringify. */
export function resolvedSchema(schema: unknown, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return coreResolvedSchema('JSON', typeof schema === 'string' ? schema : JSON.stringify(schema), options);
}

/** A schema other schemas reference under `name`, the URL their `$ref` uses. */
export function dependency(name: string, schema: unknown, subject = name, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(schema, { subject, version }).schema };
}
