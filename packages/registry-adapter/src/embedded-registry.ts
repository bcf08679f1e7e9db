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
import { messageOf } from './error-text.js';
import type { StoredSchema, StoredVersion } from './registry-state.js';
import { liveVersions, RegistryState } from './registry-state.js';
import { StateFile } from './state-file.js';

/** Options of an {@link EmbeddedRegistry}. */
export interface EmbeddedRegistryOptions {
  /** The formats that validate, compare and check the schemas registered. */
  readonly formats: SchemaFormats | readonly SchemaFormat[];
  /** A folder to keep the registry in, shared safely by several processes; none: memory only. */
  readonly dir?: string;
  /** The global compatibility level until one is set; default BACKWARD, as in Confluent. */
  readonly defaultCompatibility?: CompatibilityLevel;
}

// Confluent error codes the embedded registry answers with.
const SUBJECT_NOT_FOUND = 40401;
const VERSION_NOT_FOUND = 40402;
const SCHEMA_NOT_FOUND = 40403;
const SUBJECT_SOFT_DELETED = 40404;
const SUBJECT_NOT_SOFT_DELETED = 40405;
const VERSION_SOFT_DELETED = 40406;
const VERSION_NOT_SOFT_DELETED = 40407;
const INCOMPATIBLE_SCHEMA = 409;
const INVALID_SCHEMA = 42201;
const INVALID_COMPATIBILITY_LEVEL = 42203;
const REFERENCE_EXISTS = 42206;

/**
 * An in-process schema registry with the semantics of the Confluent one: ids identify content across
 * subjects, versions count per subject, compatibility is checked on register, deletes are soft first.
 * It is the offline registry of the CLI and of unit tests; with `dir` it persists to a folder that
 * several processes may use at once.
 */
export class EmbeddedRegistry implements SchemaRegistryClient {
  readonly #formats: SchemaFormats;
  readonly #defaultCompatibility: CompatibilityLevel;
  readonly #file: StateFile | undefined;
  #state = new RegistryState();
  // Operations run one at a time, so a reload from disk never swaps the state under a running one.
  #tail: Promise<unknown> = Promise.resolve();
  // Content keys by guid and mode: a guid is random per content, so a key never goes stale, even when
  // another process rebuilt the folder from scratch.
  readonly #contentKeys = new Map<string, string>();

  constructor(options: EmbeddedRegistryOptions) {
    this.#formats = Array.isArray(options.formats)
      ? new SchemaFormats(options.formats as readonly SchemaFormat[])
      : (options.formats as SchemaFormats);
    this.#defaultCompatibility = options.defaultCompatibility ?? 'BACKWARD';
    this.#file = options.dir === undefined ? undefined : new StateFile(options.dir);
  }

  /** The schema types this registry has a format for. */
  schemaTypes(): SchemaType[] {
    return this.#formats.types();
  }

  /** Registers `schema` under `subject`, or returns the version of it the subject already holds. */
  register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    return this.#write((state) => {
      const normalize = options.normalize === true;
      const { format, candidate } = this.#candidate(state, subject, schema, true);
      const key = this.#candidateKey(format, candidate, normalize, subject);
      const entry = state.subjects.get(subject);
      const live = liveVersions(entry);
      const existing = live.find((version) => this.#holds(state, version, key, normalize));
      if (existing !== undefined) return this.#registered(state, subject, existing);
      const level = entry?.compatibility ?? this.#globalCompatibility(state);
      const previous = live.map((version) => this.#resolved(state, subject, version));
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
        this.#findContent(state, schema.schemaType, key, normalize) ??
        state.addSchema({
          guid: randomUUID(),
          schemaType: schema.schemaType,
          schema: schema.schema,
          references: candidate.schema.references,
        });
      return this.#registered(state, subject, state.addVersion(subject, content.id));
    });
  }

  /** Finds the version of `subject` holding `schema`: 40401 without the subject, 40403 without the schema. */
  lookup(subject: string, schema: Schema, options: LookupOptions = {}): Promise<RegisteredSchema> {
    return this.#read((state) => {
      const normalize = options.normalize === true;
      const entry = state.subjects.get(subject);
      const versions = options.deleted === true ? (entry?.versions ?? []) : liveVersions(entry);
      if (versions.length === 0) throw subjectNotFound(subject);
      const { format, candidate } = this.#candidate(state, subject, schema, false);
      const key = this.#candidateKey(format, candidate, normalize, subject);
      // The newest version wins when a schema was registered again after a soft delete.
      const found = versions.findLast((version) => this.#holds(state, version, key, normalize));
      if (found === undefined) {
        throw registryError(
          SCHEMA_NOT_FOUND,
          undefined,
          `schema not found under subject ${JSON.stringify(subject)}`,
          { subject },
        );
      }
      return this.#registered(state, subject, found);
    });
  }

  /**
   * The schema a message names, by id, guid, contentId (the same as id here) or globalId. Ids of
   * soft-deleted versions still resolve, as in Confluent; the answer names the first live subject and
   * version holding the schema, if any, so a decoder can report one.
   */
  getSchema(id: SchemaId): Promise<RegisteredSchema> {
    return this.#read((state) => {
      if (id.kind === 'globalId') {
        for (const entry of state.subjects.values()) {
          const version = entry.versions.find((candidate) => candidate.globalId === id.globalId);
          if (version !== undefined) return this.#registered(state, entry.name, version);
        }
        throw schemaNotFound(`schema with globalId ${id.globalId} not found`);
      }
      const stored =
        id.kind === 'guid'
          ? state.schemasByGuid.get(id.guid)
          : state.schemas.get(id.kind === 'id' ? id.id : id.contentId);
      const holders = stored === undefined ? [] : this.#holders(state, stored.id);
      if (stored === undefined || holders.length === 0) {
        const what = id.kind === 'guid' ? `guid ${JSON.stringify(id.guid)}` : `id ${numericId(id)}`;
        throw schemaNotFound(`schema with ${what} not found`, id.kind === 'guid' ? undefined : numericId(id));
      }
      const live = holders.find((holder) => !holder.version.deleted);
      if (live !== undefined) return this.#registered(state, live.subject, live.version);
      return schemaFields(stored);
    });
  }

  /** A live version of `subject`, or its latest. */
  getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    return this.#read((state) => {
      const found = this.#liveVersion(state, subject, version);
      return this.#registered(state, subject, found);
    });
  }

  /** The live versions of `subject`, oldest first; 40401 when it has none. */
  listVersions(subject: string): Promise<number[]> {
    return this.#read((state) => {
      const live = liveVersions(state.subjects.get(subject));
      if (live.length === 0) throw subjectNotFound(subject);
      return live.map((version) => version.version);
    });
  }

  /** The subjects with live versions, and with `deleted` those with only soft-deleted ones too. */
  listSubjects(options: { readonly deleted?: boolean } = {}): Promise<string[]> {
    return this.#read((state) => {
      const subjects: string[] = [];
      for (const entry of state.subjects.values()) {
        const versions = options.deleted === true ? entry.versions : liveVersions(entry);
        if (versions.length > 0) subjects.push(entry.name);
      }
      return subjects;
    });
  }

  /** The live subjects and versions holding schema `id`; 40403 when no version holds it at all. */
  getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    return this.#read((state) => {
      const holders = state.schemas.has(id) ? this.#holders(state, id) : [];
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
    return this.#read((state) => {
      const { format, candidate } = this.#candidate(state, subject, schema, true);
      const entry = state.subjects.get(subject);
      let against: StoredVersion;
      if (version === 'latest') {
        const latest = liveVersions(entry).at(-1);
        if (latest === undefined) return { compatible: true, messages: [] };
        against = latest;
      } else {
        against = this.#liveVersion(state, subject, version);
      }
      const level = entry?.compatibility ?? this.#globalCompatibility(state);
      return checkCompatibility(format, candidate, [this.#resolved(state, subject, against)], level);
    });
  }

  /** The level of `subject` (falling back to the global one), or the global one. */
  getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return this.#read(
      (state) =>
        (subject === undefined ? undefined : state.subjects.get(subject)?.compatibility) ??
        this.#globalCompatibility(state),
    );
  }

  /** Sets the level of `subject`, or the global one; 42203 for a level that does not exist. */
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    return this.#write((state) => {
      if (!isCompatibilityLevel(level)) {
        throw registryError(
          INVALID_COMPATIBILITY_LEVEL,
          undefined,
          `compatibility level ${JSON.stringify(level)} does not exist`,
          subject === undefined ? {} : { subject },
        );
      }
      if (subject === undefined) {
        if (state.compatibility !== level) state.dirty = true;
        state.compatibility = level;
        return;
      }
      const entry = state.subjectEntry(subject);
      if (entry.compatibility !== level) state.dirty = true;
      entry.compatibility = level;
    });
  }

  /**
   * Soft-deletes the live versions of `subject`, or with `permanent` removes a subject that was
   * soft-deleted before; returns the versions deleted.
   */
  deleteSubject(subject: string, options: DeleteOptions = {}): Promise<number[]> {
    return this.#write((state) => {
      const entry = state.subjects.get(subject);
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
        this.#checkUnreferenced(state, subject, entry.versions);
        const deleted = entry.versions.map((version) => version.version);
        state.subjects.delete(subject);
        state.dirty = true;
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
      this.#checkUnreferenced(state, subject, live);
      for (const version of live) version.deleted = true;
      state.dirty = true;
      return live.map((version) => version.version);
    });
  }

  /**
   * Soft-deletes a version of `subject`, or with `permanent` removes a version that was soft-deleted
   * before; returns its number.
   */
  deleteVersion(subject: string, version: number, options: DeleteOptions = {}): Promise<number> {
    return this.#write((state) => {
      const entry = state.subjects.get(subject);
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
        this.#checkUnreferenced(state, subject, [found]);
        entry.versions = entry.versions.filter((candidate) => candidate !== found);
        state.dirty = true;
        state.pruneSubject(subject);
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
      this.#checkUnreferenced(state, subject, [found]);
      found.deleted = true;
      state.dirty = true;
      return version;
    });
  }

  // The schema to register or look up, with its references resolved: the references must name live
  // versions; with `validate`, the format must accept it. Any failure is a 42201.
  #candidate(
    state: RegistryState,
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
      const dependencies = this.#dependencies(state, references, true);
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
  #contentKey(state: RegistryState, stored: StoredSchema, normalize: boolean): string {
    const cacheKey = `${stored.guid}:${normalize}`;
    let key = this.#contentKeys.get(cacheKey);
    if (key === undefined) {
      key = contentKey(
        this.#formats.get(stored.schemaType),
        { schema: schemaFields(stored), dependencies: this.#dependencies(state, stored.references, false) },
        normalize,
      );
      this.#contentKeys.set(cacheKey, key);
    }
    return key;
  }

  #holds(state: RegistryState, version: StoredVersion, key: string, normalize: boolean): boolean {
    const stored = state.schemas.get(version.id);
    return stored !== undefined && this.#contentKey(state, stored, normalize) === key;
  }

  // An existing content with this key, so the same schema gets the same id under any subject.
  #findContent(
    state: RegistryState,
    schemaType: SchemaType,
    key: string,
    normalize: boolean,
  ): StoredSchema | undefined {
    for (const stored of state.schemas.values()) {
      if (stored.schemaType !== schemaType) continue;
      try {
        if (this.#contentKey(state, stored, normalize) === key) return stored;
      } catch {
        // A content no version holds any more may reference versions since removed; it matches nothing.
      }
    }
    return undefined;
  }

  // Every schema `references` need, each once, dependencies before the schemas using them.
  #dependencies(
    state: RegistryState,
    references: readonly SchemaReference[],
    liveOnly: boolean,
  ): ResolvedDependency[] {
    const out: ResolvedDependency[] = [];
    const seen = new Set<string>();
    const visit = (refs: readonly SchemaReference[]): void => {
      for (const ref of refs) {
        const key = `${ref.subject}:${ref.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const version = state.subjects.get(ref.subject)?.versions.find((v) => v.version === ref.version);
        if (version === undefined || (liveOnly && version.deleted)) {
          throw new SchemaWireError(
            ErrorCode.InvalidSchema,
            `cannot resolve reference: ${JSON.stringify(ref)} names no registered version`,
            { subject: ref.subject, version: ref.version },
          );
        }
        const schema = this.#registered(state, ref.subject, version);
        visit(schema.references);
        out.push({ name: ref.name, schema });
      }
    };
    visit(references);
    return out;
  }

  #resolved(state: RegistryState, subject: string, version: StoredVersion): ResolvedSchema {
    const schema = this.#registered(state, subject, version);
    return { schema, dependencies: this.#dependencies(state, schema.references, false) };
  }

  #registered(state: RegistryState, subject: string, version: StoredVersion): RegisteredSchema {
    const stored = state.schemas.get(version.id)!;
    return {
      ...schemaFields(stored),
      globalId: version.globalId,
      subject,
      version: version.version,
    };
  }

  // Every subject version (live or soft-deleted) holding schema `id`, in subject order.
  #holders(state: RegistryState, id: number): { subject: string; version: StoredVersion }[] {
    const holders: { subject: string; version: StoredVersion }[] = [];
    for (const entry of state.subjects.values()) {
      for (const version of entry.versions) {
        if (version.id === id) holders.push({ subject: entry.name, version });
      }
    }
    return holders;
  }

  #liveVersion(state: RegistryState, subject: string, version: number | 'latest'): StoredVersion {
    const live = liveVersions(state.subjects.get(subject));
    if (live.length === 0) throw subjectNotFound(subject);
    const found = version === 'latest' ? live.at(-1) : live.find((v) => v.version === version);
    if (found === undefined) throw versionNotFound(subject, version);
    return found;
  }

  // A version another schema references cannot go: that schema's id must keep resolving.
  #checkUnreferenced(state: RegistryState, subject: string, versions: readonly StoredVersion[]): void {
    const numbers = new Set(versions.map((version) => version.version));
    const held = new Set<number>();
    for (const entry of state.subjects.values()) {
      for (const version of entry.versions) held.add(version.id);
    }
    for (const id of held) {
      const stored = state.schemas.get(id)!;
      const ref = stored.references.find((r) => r.subject === subject && numbers.has(r.version));
      if (ref !== undefined) {
        throw registryError(
          REFERENCE_EXISTS,
          undefined,
          `version ${ref.version} of subject ${JSON.stringify(subject)} is referenced by schema id ${id}`,
          { subject, version: ref.version, schemaId: id },
        );
      }
    }
  }

  #globalCompatibility(state: RegistryState): CompatibilityLevel {
    return state.compatibility ?? this.#defaultCompatibility;
  }

  #read<T>(operation: (state: RegistryState) => T): Promise<T> {
    return this.#serialize(async () => {
      await this.#reload();
      return operation(this.#state);
    });
  }

  #write<T>(operation: (state: RegistryState) => T): Promise<T> {
    const file = this.#file;
    if (file === undefined) return this.#read(operation);
    return this.#serialize(() =>
      file.withLock(async () => {
        await this.#reload();
        const state = this.#state;
        state.dirty = false;
        try {
          const result = operation(state);
          if (state.dirty) await file.write(state);
          return result;
        } catch (error) {
          // Operations check before they change anything, but a failed write leaves memory ahead of disk.
          file.forget();
          throw error;
        } finally {
          state.dirty = false;
        }
      }),
    );
  }

  async #reload(): Promise<void> {
    const loaded = await this.#file?.readIfChanged();
    if (loaded !== undefined) this.#state = loaded;
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
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

function invalidSchema(subject: string, cause: unknown): SchemaWireError {
  return registryError(
    INVALID_SCHEMA,
    undefined,
    `invalid schema for subject ${JSON.stringify(subject)}: ${messageOf(cause)}`,
    { subject, cause },
  );
}

function subjectNotFound(subject: string): SchemaWireError {
  return registryError(SUBJECT_NOT_FOUND, undefined, `subject ${JSON.stringify(subject)} not found`, {
    subject,
  });
}

function versionNotFound(subject: string, version: number | 'latest'): SchemaWireError {
  return registryError(
    VERSION_NOT_FOUND,
    undefined,
    `version ${JSON.stringify(version)} of subject ${JSON.stringify(subject)} not found`,
    { subject, ...(typeof version === 'number' ? { version } : {}) },
  );
}

function schemaNotFound(detail: string, schemaId?: number): SchemaWireError {
  return registryError(SCHEMA_NOT_FOUND, undefined, detail, schemaId === undefined ? {} : { schemaId });
}
