/** The schema types a registry knows; STRING and JSON-without-schema are schemaless decoder results. */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A reference from one schema to another registered one (Avro named type, Protobuf import, JSON `$ref`). */
export interface SchemaReference {
  /** The name the referring schema uses: Avro full name, Protobuf import path, JSON `$ref` URL. */
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as it is registered: its text, type and references. */
export interface Schema {
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references?: readonly SchemaReference[];
}

/** A schema as a registry holds it, with the identifiers the registry gave it. */
export interface RegisteredSchema extends Schema {
  /** The registry's numeric id (Confluent id; Apicurio contentId through ccompat). */
  readonly id: number;
  /** The content GUID, where the registry has one (Confluent header carrier). */
  readonly guid?: string;
  /** The Apicurio globalId, where the registry has one. */
  readonly globalId?: number;
  /** The subject (and version) the registry answered with, when the request named or returned one. */
  readonly subject?: string;
  readonly version?: number;
  readonly references: readonly SchemaReference[];
}

/**
 * A schema with every referenced schema it needs, resolved from the registry. `dependencies` holds each
 * referenced schema once, dependencies before the schemas that use them, so a format can load them in
 * order.
 */
export interface ResolvedSchema {
  readonly schema: RegisteredSchema;
  readonly dependencies: readonly ResolvedDependency[];
}

/** One referenced schema, under the name the referring schema used for it. */
export interface ResolvedDependency {
  readonly name: string;
  readonly schema: RegisteredSchema;
}

/** How a message names its schema: by numeric id, GUID, Apicurio globalId or Apicurio contentId. */
export type SchemaId =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'guid'; readonly guid: string }
  | { readonly kind: 'globalId'; readonly globalId: number }
  | { readonly kind: 'contentId'; readonly contentId: number };

/** A stable string for a schema id, for cache keys and messages. */
export function schemaIdKey(id: SchemaId): string {
  switch (id.kind) {
    case 'id':
      return `id:${id.id}`;
    case 'guid':
      return `guid:${id.guid}`;
    case 'globalId':
      return `globalId:${id.globalId}`;
    case 'contentId':
      return `contentId:${id.contentId}`;
  }
}

/** Compatibility levels of the Confluent API, which the embedded registry and `check` apply. */
export const CompatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

/** One of {@link CompatibilityLevels}. */
export type CompatibilityLevel = (typeof CompatibilityLevels)[number];

/** True when `value` names a compatibility level. */
export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (CompatibilityLevels as readonly string[]).includes(value);
}

/** The outcome of a compatibility check. */
export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly messages: readonly string[];
}

/** The schema type of each schema file extension schemawire knows. */
export const schemaTypesByFileExtension: Readonly<Record<string, SchemaType>> = {
  '.avsc': 'AVRO',
  '.proto': 'PROTOBUF',
  '.json': 'JSON',
};

/** The schema type a file's extension tells (`user.avsc` → AVRO), or undefined. */
export function schemaTypeOfFile(fileName: string): SchemaType | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : schemaTypesByFileExtension[fileName.slice(dot).toLowerCase()];
}

/** Where a schema given by hand was registered, and the schemas it references. */
export interface ResolvedSchemaOptions {
  readonly id?: number;
  readonly subject?: string;
  readonly version?: number;
  /** The referenced schemas, dependencies first, under the names the schema uses for them. */
  readonly dependencies?: readonly ResolvedDependency[];
}

/**
 * A schema and its dependencies given by hand, to use a format without a registry (tests, tools).
 * Its references are derived from the dependencies.
 */
export function resolvedSchema(
  schemaType: SchemaType,
  text: string,
  options: ResolvedSchemaOptions = {},
): ResolvedSchema {
  const dependencies = options.dependencies ?? [];
  return {
    schema: {
      id: options.id ?? 1,
      schemaType,
      schema: text,
      references: dependencies.map(({ name, schema }) => ({
        name,
        subject: schema.subject ?? name,
        version: schema.version ?? 1,
      })),
      ...(options.subject === undefined ? {} : { subject: options.subject }),
      ...(options.version === undefined ? {} : { version: options.version }),
    },
    dependencies,
  };
}
