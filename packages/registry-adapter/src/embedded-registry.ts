import { randomUUID } from 'node:crypto';
import type {
  CompatibilityLevel,
  CompatibilityResult,
  DeleteOptions,
  LookupOptions,
  RegisteredSchema,
  RegisterOptions,
  ResolvedDependency,
  ResolvedSchema,
  Schema,
  SchemaFormat,
  SchemaId,
  SchemaReference,
  SchemaRegistryClient,
  SchemaType,
  SubjectVersion,
} from '@schemawire/core-client';
import {
  checkCompatibility,
  ErrorCode,
  isCompatibilityLevel,
  registryError,
  SchemaFormats,
  SchemaWireError,
} from '@schemawire/core-client';
import {
  INCOMPATIBLE_SCHEMA,
  INVALID_COMPATIBILITY_LEVEL,
  invalidSchema,
  REFERENCE_EXISTS,
  SCHEMA_NOT_FOUND,
  SUBJECT_NOT_SOFT_DELETED,
  SUBJECT_SOFT_DELETED,
  schemaNotFound,
  subjectNotFound,
  VERSION_NOT_SOFT_DELETED,
  VERSION_SOFT_DELETED,
  versionNotFound,
} from './registry-errors.js';
import type { StoredSchema, StoredVersion } from './registry-records.js';
import { liveVersions } from './registry-records.js';
import { SqliteStore } from './sqlite-store.js';

/** Options of an {@link EmbeddedRegistry}. */
export interface EmbeddedRegistryOptions {
  /** The formats that validate, compare and check the schemas registered. */
  readonly formats: SchemaFormats | readonly SchemaFormat[];
  /** A folder to keep the registry in, shared safely by several processes; none: memory only. */
  readonly dir?: string;
  /** The global compatibility level until one is set; default BACKWARD, as in Confluent. */
  readonly defaultCompatibility?: CompatibilityLevel;
}

/**
 * An in-process schema registry with the semantics of the Confluent one: ids identify content across
 * subjects, versions count per subject, compatibility is checked on register, deletes are soft first.
 * It is the offline registry of the CLI and of unit tests; with `dir` it persists to a folder that
 * several processes may use at once.
 */
export class EmbeddedRegistry implements SchemaRegistryClient {
  readonly #formats: SchemaFormats;
  readonly #defaultCompatibility: CompatibilityLevel;
  readonly #store: SqliteStore;
  // Content keys by guid and mode: a guid is random per content, so a key never goes stale, even when
  // another process rebuilt the folder from scratch.
  readonly #contentKeys = new Map<string, string>();

  constructor(options: EmbeddedRegistryOptions) {
    this.#formats = Array.isArray(options.formats)
      ? new SchemaFormats(options.formats as readonly SchemaFormat[])
      : (options.formats as SchemaFormats);
    this.#defaultCompatibility = options.defaultCompatibility ?? 'BACKWARD';
    this.#store = new SqliteStore(options.dir);
  }

  /** The schema types this registry has a format for. */
  schemaTypes(): SchemaType[] {
    return this.#formats.types();
  }

  /** Registers `schema` under `subject`, or returns the version of it the subject already holds. */
  register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    return this.#write(() => {
      const normalize = options.normalize === true;
      const { format, candidate } = this.#candidate(subject, schema, true);
      const key = this.#candidateKey(format, candidate, normalize, subject);
      const entry = this.#store.subject(subject);
      const live = liveVersions(entry);
      const existing = live.find((version) => this.#holds(version, key, normalize));
      if (existing !== undefined) return this.#registered(subject, existing);
      const level = entry?.compatibility ?? this.#globalCompatibility();
      const previous = live.map((version) => this.#resolved(subject, version));
      const result = checkCompatibility(format, candidate, previous, level);
      if (!result.compatible) {
        throw registryError(
          INCOMPATIBLE_SCHEMA,
          undefined,
          `schema is incompatible with subject ${JSON.stringify(subject)} at level ${JSON.stringify(level)}: ${JSON.stringify(result.messages)}`,
          { subject },
        );
      }
      const content =
        this.#findContent(schema.schemaType, key, normalize) ??
        this.#store.addSchema({
          guid: randomUUID(),
          schemaType: schema.schemaType,
          schema: schema.schema,
          references: candidate.schema.references,
        });
      return this.#registered(subject, this.#store.addVersion(subject, content.id));
    });
  }

  /** Finds the version of `subject` holding `schema`: 40401 without the subject, 40403 without the schema. */
  lookup(subject: string, schema: Schema, options: LookupOptions = {}): Promise<RegisteredSchema> {
    return this.#read(() => {
      const normalize = options.normalize === true;
      const entry = this.#store.subject(subject);
      const versions = options.deleted === true ? (entry?.versions ?? []) : liveVersions(entry);
      if (versions.length === 0) throw subjectNotFound(subject);
      const { format, candidate } = this.#candidate(subject, schema, false);
      const key = this.#candidateKey(format, candidate, normalize, subject);
      // The newest version wins when a schema was registered again after a soft delete.
      const found = versions.findLast((version) => this.#holds(version, key, normalize));
      if (found === undefined) {
        throw registryError(
          SCHEMA_NOT_FOUND,
          undefined,
          `schema not found under subject ${JSON.stringify(subject)}`,
          { subject },
        );
      }
      return this.#registered(subject, found);
    });
  }

  /**
   * The schema a message names, by id, guid, contentId (the same as id here) or globalId. Ids of
   * soft-deleted versions still resolve, as in Confluent; the answer names the first live subject and
   * version holding the schema, if any, so a decoder can report one.
   */
  getSchema(id: SchemaId): Promise<RegisteredSchema> {
    return this.#read(() => {
      if (id.kind === 'globalId') {
        const found = this.#store.versionByGlobalId(id.globalId);
        if (found !== undefined) return this.#registered(found.subject, found.version);
        throw schemaNotFound(`schema with globalId ${id.globalId} not found`);
      }
      const stored =
        id.kind === 'guid'
          ? this.#store.schemaByGuid(id.guid)
          : this.#store.schema(id.kind === 'id' ? id.id : id.contentId);
      const holders = stored === undefined ? [] : this.#store.holders(stored.id);
      if (stored === undefined || holders.length === 0) {
        const what = id.kind === 'guid' ? `guid ${JSON.stringify(id.guid)}` : `id ${numericId(id)}`;
        throw schemaNotFound(`schema with ${what} not found`, id.kind === 'guid' ? undefined : numericId(id));
      }
      const live = holders.find((holder) => !holder.version.deleted);
      if (live !== undefined) return this.#registered(live.subject, live.version);
      return schemaFields(stored);
    });
  }

  /** A live version of `subject`, or its latest. */
  getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    return this.#read(() => {
      const found = this.#liveVersion(subject, version);
      return this.#registered(subject, found);
    });
  }

  /** The live versions of `subject`, oldest first; 40401 when it has none. */
  listVersions(subject: string): Promise<number[]> {
    return this.#read(() => {
      const live = liveVersions(this.#store.subject(subject));
      if (live.length === 0) throw subjectNotFound(subject);
      return live.map((version) => version.version);
    });
  }

  /** The subjects with live versions, and with `deleted` those with only soft-deleted ones too. */
  listSubjects(options: { readonly deleted?: boolean } = {}): Promise<string[]> {
    return this.#read(() => {
      return this.#store.subjectNames(options.deleted === true);
    });
  }

  /** The live subjects and versions holding schema `id`; 40403 when no version holds it at all. */
  getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    return this.#read(() => {
      const holders = this.#store.holders(id);
      if (holders.length === 0) throw schemaNotFound(`schema with id ${id} not found`, id);
      return holders
        .filter((holder) => !holder.version.deleted)
        .map((holder) => ({ subject: holder.subject, version: holder.version.version }));
    });
  }

  /**
   * Whether `schema` is compatible with a version of `subject` (default: the latest, as Confluent's
   * `versions/latest` endpoint) at the subject's level; a subject with no versions accepts anything.
   */
  testCompatibility(
    subject: string,
    schema: Schema,
    version: number | 'latest' = 'latest',
  ): Promise<CompatibilityResult> {
    return this.#read(() => {
      const { format, candidate } = this.#candidate(subject, schema, true);
      const entry = this.#store.subject(subject);
      let against: StoredVersion;
      if (version === 'latest') {
        const latest = liveVersions(entry).at(-1);
        if (latest === undefined) return { compatible: true, messages: [] };
        against = latest;
      } else {
        against = this.#liveVersion(subject, version);
      }
      const level = entry?.compatibility ?? this.#globalCompatibility();
      return checkCompatibility(format, candidate, [this.#resolved(subject, against)], level);
    });
  }

  /** The level of `subject` (falling back to the global one), or the global one. */
  getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return this.#read(
      () =>
        (subject === undefined ? undefined : this.#store.subject(subject)?.compatibility) ??
        this.#globalCompatibility(),
    );
  }

  /** Sets the level of `subject`, or the global one; 42203 for a level that does not exist. */
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    return this.#write(() => {
      if (!isCompatibilityLevel(level)) {
        throw registryError(
          INVALID_COMPATIBILITY_LEVEL,
          undefined,
          `compatibility level ${JSON.stringify(level)} does not exist`,
          subject === undefined ? {} : { subject },
        );
      }
      if (subject === undefined) this.#store.setCompatibility(level);
      else this.#store.setSubjectCompatibility(subject, level);
    });
  }

  /**
   * Soft-deletes the live versions of `subject`, or with `permanent` removes a subject that was
   * soft-deleted before; returns the versions deleted.
   */
  deleteSubject(subject: string, options: DeleteOptions = {}): Promise<number[]> {
    return this.#write(() => {
      const entry = this.#store.subject(subject);
      if (entry === undefined || entry.versions.length === 0) throw subjectNotFound(subject);
      const live = liveVersions(entry);
      if (options.permanent === true) {
        if (live.length > 0) {
          throw registryError(
            SUBJECT_NOT_SOFT_DELETED,
            undefined,
            `subject ${JSON.stringify(subject)} must be soft-deleted before it is deleted permanently`,
            { subject },
          );
        }
        this.#checkUnreferenced(subject, entry.versions);
        const deleted = entry.versions.map((version) => version.version);
        this.#store.removeSubject(subject);
        return deleted;
      }
      if (live.length === 0) {
        throw registryError(
          SUBJECT_SOFT_DELETED,
          undefined,
          `subject ${JSON.stringify(subject)} was soft-deleted; delete it with permanent to remove it`,
          { subject },
        );
      }
      this.#checkUnreferenced(subject, live);
      const deleted = live.map((version) => version.version);
      this.#store.markDeleted(subject, deleted);
      return deleted;
    });
  }

  /**
   * Soft-deletes a version of `subject`, or with `permanent` removes a version that was soft-deleted
   * before; returns its number.
   */
  deleteVersion(subject: string, version: number, options: DeleteOptions = {}): Promise<number> {
    return this.#write(() => {
      const entry = this.#store.subject(subject);
      if (entry === undefined || entry.versions.length === 0) throw subjectNotFound(subject);
      const found = entry.versions.find((candidate) => candidate.version === version);
      if (found === undefined) throw versionNotFound(subject, version);
      const context = { subject, version };
      if (options.permanent === true) {
        if (!found.deleted) {
          throw registryError(
            VERSION_NOT_SOFT_DELETED,
            undefined,
            `version ${version} of subject ${JSON.stringify(subject)} must be soft-deleted before it is deleted permanently`,
            context,
          );
        }
        this.#checkUnreferenced(subject, [found]);
        this.#store.removeVersion(subject, version);
        return version;
      }
      if (found.deleted) {
        throw registryError(
          VERSION_SOFT_DELETED,
          undefined,
          `version ${version} of subject ${JSON.stringify(subject)} was soft-deleted; delete it with permanent to remove it`,
          context,
        );
      }
      this.#checkUnreferenced(subject, [found]);
      this.#store.markDeleted(subject, [version]);
      return version;
    });
  }

  // The schema to register or look up, with its references resolved: the references must name live
  // versions; with `validate`, the format must accept it. Any failure is a 42201.
  #candidate(
    subject: string,
    schema: Schema,
    validate: boolean,
  ): { format: SchemaFormat; candidate: ResolvedSchema } {
    // A copy: the registry keeps these, and the caller's array is the caller's to change.
    const references = (schema.references ?? []).map(({ name, subject, version }) => ({
      name,
      subject,
      version,
    }));
    try {
      const format = this.#formats.get(schema.schemaType);
      const dependencies = this.#dependencies(references, true);
      const candidate: ResolvedSchema = {
        schema: { schemaType: schema.schemaType, schema: schema.schema, references, id: -1 },
        dependencies,
      };
      if (validate) format.validate(candidate);
      return { format, candidate };
    } catch (error) {
      throw invalidSchema(subject, error);
    }
  }

  #candidateKey(
    format: SchemaFormat,
    candidate: ResolvedSchema,
    normalize: boolean,
    subject: string,
  ): string {
    try {
      return contentKey(format, candidate, normalize);
    } catch (error) {
      throw invalidSchema(subject, error);
    }
  }

  // The key two schemas are the same by: type, canonical text and references.
  #contentKey(stored: StoredSchema, normalize: boolean): string {
    const cacheKey = `${stored.guid}:${normalize}`;
    let key = this.#contentKeys.get(cacheKey);
    if (key === undefined) {
      key = contentKey(
        this.#formats.get(stored.schemaType),
        { schema: schemaFields(stored), dependencies: this.#dependencies(stored.references, false) },
        normalize,
      );
      this.#contentKeys.set(cacheKey, key);
    }
    return key;
  }

  #holds(version: StoredVersion, key: string, normalize: boolean): boolean {
    const stored = this.#store.schema(version.id);
    return stored !== undefined && this.#contentKey(stored, normalize) === key;
  }

  // An existing content with this key, so the same schema gets the same id under any subject.
  #findContent(schemaType: SchemaType, key: string, normalize: boolean): StoredSchema | undefined {
    for (const stored of this.#store.schemas()) {
      if (stored.schemaType !== schemaType) continue;
      try {
        if (this.#contentKey(stored, normalize) === key) return stored;
      } catch {
        // A content no version holds any more may reference versions since removed; it matches nothing.
      }
    }
    return undefined;
  }

  // Every schema `references` need, each once, dependencies before the schemas using them.
  #dependencies(references: readonly SchemaReference[], liveOnly: boolean): ResolvedDependency[] {
    const out: ResolvedDependency[] = [];
    const seen = new Set<string>();
    const visit = (refs: readonly SchemaReference[]): void => {
      for (const ref of refs) {
        const key = `${ref.subject}:${ref.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const version = this.#store.version(ref.subject, ref.version);
        if (version === undefined || (liveOnly && version.deleted)) {
          throw new SchemaWireError(
            ErrorCode.InvalidSchema,
            `cannot resolve reference: ${JSON.stringify(ref)} names no registered version`,
            { subject: ref.subject, version: ref.version },
          );
        }
        const schema = this.#registered(ref.subject, version);
        visit(schema.references);
        out.push({ name: ref.name, schema });
      }
    };
    visit(references);
    return out;
  }

  #resolved(subject: string, version: StoredVersion): ResolvedSchema {
    const schema = this.#registered(subject, version);
    return { schema, dependencies: this.#dependencies(schema.references, false) };
  }

  #registered(subject: string, version: StoredVersion): RegisteredSchema {
    const stored = this.#store.schema(version.id)!;
    return {
      ...schemaFields(stored),
      globalId: version.globalId,
      subject,
      version: version.version,
    };
  }

  #liveVersion(subject: string, version: number | 'latest'): StoredVersion {
    const live = liveVersions(this.#store.subject(subject));
    if (live.length === 0) throw subjectNotFound(subject);
    const found = version === 'latest' ? live.at(-1) : live.find((v) => v.version === version);
    if (found === undefined) throw versionNotFound(subject, version);
    return found;
  }

  // A version another schema references cannot go: that schema's id must keep resolving.
  #checkUnreferenced(subject: string, versions: readonly StoredVersion[]): void {
    const referrer = this.#store.referrer(
      subject,
      versions.map((version) => version.version),
    );
    if (referrer !== undefined) {
      throw registryError(
        REFERENCE_EXISTS,
        undefined,
        `version ${referrer.version} of subject ${JSON.stringify(subject)} is referenced by schema id ${referrer.id}`,
        { subject, version: referrer.version, schemaId: referrer.id },
      );
    }
  }

  #globalCompatibility(): CompatibilityLevel {
    return this.#store.compatibility() ?? this.#defaultCompatibility;
  }

  // The store's work is synchronous: it runs now, and a failure becomes the promise's rejection.
  #read<T>(operation: () => T): Promise<T> {
    return new Promise((resolve) => resolve(this.#store.read(operation)));
  }

  #write<T>(operation: () => T): Promise<T> {
    return new Promise((resolve) => resolve(this.#store.write(operation)));
  }
}

function contentKey(format: SchemaFormat, schema: ResolvedSchema, normalize: boolean): string {
  return JSON.stringify([
    schema.schema.schemaType,
    format.canonicalize(schema, normalize),
    schema.schema.references.map((ref) => [ref.name, ref.subject, ref.version]),
  ]);
}

function schemaFields(stored: StoredSchema): RegisteredSchema {
  return {
    schemaType: stored.schemaType,
    schema: stored.schema,
    references: stored.references,
    id: stored.id,
    guid: stored.guid,
  };
}

function numericId(id: { kind: 'id'; id: number } | { kind: 'contentId'; contentId: number }): number {
  return id.kind === 'id' ? id.id : id.contentId;
}
