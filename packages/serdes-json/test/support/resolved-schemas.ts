import { readFileSync } from 'node:fs';
import type { ResolvedDependency, ResolvedSchema } from '@schemawire/core-client';

/** The seed's example message schema, schemas/my_json_message.json, as text. */
export const myJsonMessageText = readFileSync(
  new URL('../../../../schemas/my_json_message.json', import.meta.url),
  'utf8',
);

/** The seed's example message schema, parsed. */
export const myJsonMessage = JSON.parse(myJsonMessageText) as Record<string, unknown>;

/** Where a test schema was registered, and the schemas it references. */
export interface ResolvedSchemaOptions {
  readonly id?: number;
  readonly subject?: string;
  readonly version?: number;
  readonly dependencies?: readonly ResolvedDependency[];
}

/** A resolved JSON schema built by hand; `schema` is JSON text, or a value to stringify. */
export function resolvedSchema(schema: unknown, options: ResolvedSchemaOptions = {}): ResolvedSchema {
  return {
    schema: {
      id: options.id ?? 1,
      schemaType: 'JSON',
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

/** A schema other schemas reference under `name`, the URL their `$ref` uses. */
export function dependency(name: string, schema: unknown, subject = name, version = 1): ResolvedDependency {
  return { name, schema: resolvedSchema(schema, { subject, version }).schema };
}
