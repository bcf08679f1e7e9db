import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  Schema,
  SchemaId,
} from './schema.js';

/** Options of `register` and `lookup`. */
export interface RegisterOptions {
  /** Ask the registry to normalize the schema before it compares or stores it. */
  readonly normalize?: boolean;
}

/** Options of `lookup`. */
export interface LookupOptions extends RegisterOptions {
  /** Also find the schema among soft-deleted versions. */
  readonly deleted?: boolean;
}

/** Options of deletes. */
export interface DeleteOptions {
  /** Hard delete; a subject or version must be soft-deleted first, as in the Confluent API. */
  readonly permanent?: boolean;
}

/** A subject and version under which a schema id is registered. */
export interface SubjectVersion {
  readonly subject: string;
  readonly version: number;
}

/**
 * A schema registry backend: what schemawire needs of a registry, whatever its API. Implemented by
 * the Confluent REST client, the Apicurio client and the embedded registry (registry-adapter).
 * Failures are {@link SchemaWireError}s with the codes of the registry's answers.
 */
export interface SchemaRegistryClient {
  /** Registers `schema` under `subject`, or returns the existing version when it is there already. */
  register(subject: string, schema: Schema, options?: RegisterOptions): Promise<RegisteredSchema>;
  /** Finds the version of `subject` that holds `schema`; SCHEMAWIRE_SCHEMA_NOT_FOUND when none does. */
  lookup(subject: string, schema: Schema, options?: LookupOptions): Promise<RegisteredSchema>;
  /** The schema a message names; SCHEMAWIRE_UNSUPPORTED when this registry has no such kind of id. */
  getSchema(id: SchemaId): Promise<RegisteredSchema>;
  /** A version of a subject, or its latest. */
  getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema>;
  /** The live versions of a subject, oldest first. */
  listVersions(subject: string): Promise<number[]>;
  /** The live subjects (and soft-deleted ones too with `deleted`). */
  listSubjects(options?: { readonly deleted?: boolean }): Promise<string[]>;
  /** The subjects and versions that hold the schema with this numeric id. */
  getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]>;
  /** Whether `schema` may be registered under `subject` at its compatibility level. */
  testCompatibility(
    subject: string,
    schema: Schema,
    version?: number | 'latest',
  ): Promise<CompatibilityResult>;
  /** The compatibility level of a subject (falling back to the global one), or the global one. */
  getCompatibility(subject?: string): Promise<CompatibilityLevel>;
  /** Sets the compatibility level of a subject, or the global one. */
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void>;
  /** Deletes a subject; returns the versions deleted. */
  deleteSubject(subject: string, options?: DeleteOptions): Promise<number[]>;
  /** Deletes one version of a subject; returns it. */
  deleteVersion(subject: string, version: number, options?: DeleteOptions): Promise<number>;
}
