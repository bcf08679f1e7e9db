/** The JSON Schema dialects this format reads: draft-07 (the default) and 2020-12. */
export type JsonSchemaDialect = 'draft-07' | '2020-12';

/** The `$schema` URI each dialect is written with when a schema is normalized. */
export const dialectUris: Readonly<Record<JsonSchemaDialect, string>> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/**
 * The dialect a `$schema` value names, or undefined when it names another one. Both schemes and an
 * empty fragment are accepted, as schemas in the wild spell these URIs every way.
 */
export function dialectOfUri(uri: string): JsonSchemaDialect | undefined {
  const bare = uri.replace(/^https?:\/\//, '').replace(/#$/, '');
  if (bare === 'json-schema.org/draft-07/schema') return 'draft-07';
  if (bare === 'json-schema.org/draft/2020-12/schema') return '2020-12';
  return undefined;
}

/**
 * The dialect a schema declares in `$schema`, or undefined when it declares none (booleans never do);
 * throws `invalid(uri)` when it declares a dialect other than ours.
 */
export function declaredDialect(
  schema: unknown,
  invalid: (uri: unknown) => Error,
): JsonSchemaDialect | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const uri = (schema as { $schema?: unknown }).$schema;
  if (uri === undefined) return undefined;
  const dialect = typeof uri === 'string' ? dialectOfUri(uri) : undefined;
  if (dialect === undefined) throw invalid(uri);
  return dialect;
}
