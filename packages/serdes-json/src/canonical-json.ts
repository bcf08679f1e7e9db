import { dialectOfUri, dialectUris } from './json-schema-dialect.js';

/**
 * JSON text of `value` with the keys of every object sorted, so texts that differ only in whitespace
 * and key order compare equal. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * A schema with the differences of spelling that cannot change what it means taken out: `required`
 * and `type` lists sorted without duplicates, a one-element `type` list as its element, and the
 * `$schema` of a known dialect written one way. Everything else stays, annotations too (`title`,
 * `description`, `default`, `examples`): a changed description is a change users register on purpose,
 * and `title` names the type for the Record strategies. `enum` keeps its order, which code generators
 * give meaning to. Only keywords in schema positions change, never property names or data values.
 */
export function normalizeSchema(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, normalizeKeyword(key, value)]),
  );
}

// Keywords whose value is a map of schemas, a schema (or in draft-07, `items`, a list), or a list of schemas.
const schemaMapKeywords = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
]);
const schemaKeywords = new Set([
  'additionalProperties',
  'additionalItems',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);
const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

function normalizeKeyword(key: string, value: unknown): unknown {
  if (schemaMapKeywords.has(key)) return mapValues(value, normalizeSchema);
  if (schemaKeywords.has(key)) {
    return Array.isArray(value) ? value.map(normalizeSchema) : normalizeSchema(value);
  }
  if (schemaListKeywords.has(key)) return Array.isArray(value) ? value.map(normalizeSchema) : value;
  switch (key) {
    case 'required':
      return sortedNames(value);
    case 'type': {
      const types = sortedNames(value);
      return Array.isArray(types) && types.length === 1 ? types[0] : types;
    }
    case 'dependencies':
      // draft-07: each entry is a list of property names or a schema.
      return mapValues(value, (entry) =>
        Array.isArray(entry) ? sortedNames(entry) : normalizeSchema(entry),
      );
    case 'dependentRequired':
      return mapValues(value, sortedNames);
    case '$schema': {
      const dialect = typeof value === 'string' ? dialectOfUri(value) : undefined;
      return dialect === undefined ? value : dialectUris[dialect];
    }
    default:
      return value;
  }
}

function sortedNames(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return value;
  return [...new Set(value as string[])].sort(compareStrings);
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value).sort(([a], [b]) => compareStrings(a, b));
  // fromEntries defines "__proto__" as a plain key, where assignment would set the prototype.
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
