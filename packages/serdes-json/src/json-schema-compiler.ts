import type { RegisteredSchema, ResolvedSchema } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { Format, Options, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as AjvCore from 'ajv/dist/core.js';
import type { JsonSchemaDialect } from './json-schema-dialect.js';
import { declaredDialect, dialectUris } from './json-schema-dialect.js';
import { resolveUri } from './schema-uri.js';

/** What the format's options say about ajv. */
export interface CompilerSettings {
  readonly formats: Readonly<Record<string, Format>> | undefined;
  readonly configure: ((ajv: AjvCore.default) => void) | undefined;
}

/** A schema compiled by ajv, with its parsed root. */
export interface CompiledSchema {
  readonly root: unknown;
  readonly validate: ValidateFunction;
}

/**
 * Compiles a schema with its references into an ajv validator. Each schema gets its own ajv instance:
 * versions of one subject usually share an `$id`, which one instance would refuse to hold twice.
 * Each reference is added under the name the schema's `$ref` uses and, when the schema has an `$id`,
 * also under that name resolved against it, which is where ajv looks for a relative `$ref`.
 */
export function compileSchema(resolved: ResolvedSchema, settings: CompilerSettings): CompiledSchema {
  const root = parseSchemaText(resolved.schema.schema, '');
  const dialect = declaredDialect(root, unsupportedDialect('')) ?? 'draft-07';
  const ajv = createAjv(dialect, settings);
  const parsed = resolved.dependencies.map(({ name, schema }) => {
    const context = referenceContext(name, schema);
    const json = parseSchemaText(schema.schema, context);
    const own = declaredDialect(json, unsupportedDialect(context));
    if (own !== undefined && own !== dialect) {
      throw invalidSchema(
        `${context}it is ${own} but the schema referencing it is ${dialect}; a schema and its references must share a dialect`,
      );
    }
    const spelled = spelledForAjv(json, dialect);
    addSchema(ajv, spelled, name, context);
    return { name, json: spelled, context };
  });
  const baseId = idOf(root);
  if (baseId !== undefined) {
    // After all names: a reference's own $id may already stand for the resolved name.
    for (const { name, json, context } of parsed) {
      const alias = resolveUri(name, baseId);
      if (alias === name || ajv.schemas[alias] !== undefined || ajv.refs[alias] !== undefined) continue;
      addSchema(ajv, json, alias, context);
    }
  }
  try {
    return { root, validate: ajv.compile(spelledForAjv(root, dialect) as boolean | object) };
  } catch (error) {
    throw invalidSchema(errorText(error), error);
  }
}

/** Parses schema text; SCHEMAWIRE_INVALID_SCHEMA when it is not JSON, or not an object or boolean. */
export function parseSchemaText(text: string, context: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidSchema(`${context}invalid json: ${errorText(error)}`, error);
  }
  if (typeof json !== 'boolean' && (typeof json !== 'object' || json === null || Array.isArray(json))) {
    throw invalidSchema(`${context}a schema is an object or a boolean, not ${JSON.stringify(json)}`);
  }
  return json;
}

/** The error for a schema that does not parse or compile. */
export function invalidSchema(detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.InvalidSchema,
    `cannot parse json schema: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}

/** How an error message names a referenced schema. */
export function referenceContext(name: string, schema: RegisteredSchema): string {
  const version = schema.version === undefined ? '' : `, version ${schema.version}`;
  const subject =
    schema.subject === undefined ? '' : ` (subject ${JSON.stringify(schema.subject)}${version})`;
  return `reference ${JSON.stringify(name)}${subject}: `;
}

function createAjv(dialect: JsonSchemaDialect, settings: CompilerSettings): AjvCore.default {
  // strict off: schemas carry keywords of their own (Confluent's "confluent:tags", code generators'),
  // which ajv would refuse. strictNumbers back on: NaN and Infinity have no JSON form. No logger: a
  // library does not write to the console, and unknown formats are meant to pass unvalidated.
  const options: Options = {
    strict: false,
    strictNumbers: true,
    allErrors: false,
    logger: false,
    ...(settings.formats === undefined ? {} : { formats: { ...settings.formats } }),
  };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  settings.configure?.(ajv);
  return ajv;
}

/** ajv finds a meta-schema by its `$schema` spelled exactly its way; the other spellings mean the same. */
function spelledForAjv(json: unknown, dialect: JsonSchemaDialect): unknown {
  if (typeof json !== 'object' || json === null || !Object.hasOwn(json, '$schema')) return json;
  const uri = dialectUris[dialect];
  return (json as { $schema: unknown }).$schema === uri ? json : { ...json, $schema: uri };
}

function addSchema(ajv: AjvCore.default, json: unknown, key: string, context: string): void {
  try {
    ajv.addSchema(json as boolean | object, key);
  } catch (error) {
    throw invalidSchema(`${context}${errorText(error)}`, error);
  }
}

/** The error for a `$schema` this format does not read. */
export function unsupportedDialect(context: string): (uri: unknown) => SchemaWireError {
  return (uri) =>
    invalidSchema(`${context}unsupported $schema ${JSON.stringify(uri)} (supported: draft-07, 2020-12)`);
}

function idOf(json: unknown): string | undefined {
  const id = typeof json === 'object' && json !== null ? (json as { $id?: unknown }).$id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
