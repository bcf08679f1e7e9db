import type {
  CompatibilityLevel,
  CompatibilityResult,
  DeleteOptions,
  LookupOptions,
  RegisteredSchema,
  RegisterOptions,
  Schema,
  SchemaId,
  SchemaReference,
  SchemaRegistryClient,
  SchemaWireError,
  SubjectVersion,
} from '@schemawire/core-client';
import { registryError } from '@schemawire/core-client';

/** The methods of a registry client, for counting calls and injecting failures. */
export type RegistryMethod = keyof SchemaRegistryClient;

interface StoredSchema {
  readonly id: number;
  readonly guid: string;
  readonly schemaType: Schema['schemaType'];
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

interface StoredVersion {
  readonly version: number;
  readonly id: number;
  readonly globalId: number;
}

/**
 * A unit-test registry held in memory, with the Confluent semantics the serdes rely on and nothing
 * more: one id per distinct schema content, versions per subject, a GUID per id, a globalId per
 * version, and 40401/40402/40403 answers. It counts calls per method and can fail the next call of a
 * method, to test caching and error paths.
 */
export class InMemoryRegistry implements SchemaRegistryClient {
  /** Calls made so far, per method. */
  readonly calls: Record<RegistryMethod, number> = {
    register: 0,
    lookup: 0,
    getSchema: 0,
    getVersion: 0,
    listVersions: 0,
    listSubjects: 0,
    getSubjectVersionsOfId: 0,
    testCompatibility: 0,
    getCompatibility: 0,
    setCompatibility: 0,
    deleteSubject: 0,
    deleteVersion: 0,
  };
  /** The options of every `register` and `lookup` call, in order. */
  readonly registerOptions: (RegisterOptions | undefined)[] = [];
  /** Every `getVersion` request, in order, as `subject:version`. */
  readonly versionRequests: string[] = [];

  readonly #schemas = new Map<number, StoredSchema>();
  readonly #idsByContent = new Map<string, number>();
  readonly #subjects = new Map<string, StoredVersion[]>();
  readonly #failures = new Map<RegistryMethod, SchemaWireError[]>();
  #compatibility: CompatibilityLevel = 'BACKWARD';
  #nextId = 1;
  #nextGlobalId = 1001;

  /** Registers without counting a call or yielding: for arranging a test. */
  seed(subject: string, schema: Schema): RegisteredSchema {
    return this.#register(subject, schema);
  }

  /** Makes the next call of `method` fail with `error`. */
  failNext(method: RegistryMethod, error: SchemaWireError): void {
    const queued = this.#failures.get(method) ?? [];
    queued.push(error);
    this.#failures.set(method, queued);
  }

  /** The total of calls to every method. */
  totalCalls(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }

  async register(subject: string, schema: Schema, options?: RegisterOptions): Promise<RegisteredSchema> {
    await this.#enter('register');
    this.registerOptions.push(options);
    const registered = this.#register(subject, schema);
    // Like Confluent's POST /subjects/{subject}/versions, the answer names the id only: no guid or globalId.
    return {
      id: registered.id,
      schemaType: registered.schemaType,
      schema: registered.schema,
      references: registered.references,
    };
  }

  async lookup(subject: string, schema: Schema, options?: LookupOptions): Promise<RegisteredSchema> {
    await this.#enter('lookup');
    this.registerOptions.push(options);
    const versions = this.#subjectVersions(subject);
    const id = this.#idsByContent.get(contentKey(schema));
    const found = versions.find((v) => v.id === id);
    if (found === undefined) {
      throw registryError(40403, 404, `schema not found under subject ${JSON.stringify(subject)}`, {
        subject,
      });
    }
    return this.#answer(found, subject);
  }

  async getSchema(id: SchemaId): Promise<RegisteredSchema> {
    await this.#enter('getSchema');
    switch (id.kind) {
      case 'id':
      case 'contentId': {
        const stored = this.#schemas.get(id.kind === 'id' ? id.id : id.contentId);
        if (stored !== undefined) return toRegistered(stored);
        break;
      }
      case 'guid': {
        const stored = [...this.#schemas.values()].find((s) => s.guid === id.guid);
        if (stored !== undefined) return toRegistered(stored);
        break;
      }
      case 'globalId': {
        for (const [subject, versions] of this.#subjects) {
          const found = versions.find((v) => v.globalId === id.globalId);
          if (found !== undefined) return this.#answer(found, subject);
        }
        break;
      }
    }
    // No schemaId context here: adding it is the caller's job, and the tests check that it does.
    throw registryError(40403, 404, `schema ${JSON.stringify(id)} not found`);
  }

  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    await this.#enter('getVersion');
    this.versionRequests.push(`${subject}:${version}`);
    const versions = this.#subjectVersions(subject);
    const found =
      version === 'latest' ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (found === undefined) {
      throw registryError(
        40402,
        404,
        `version ${JSON.stringify(version)} of ${JSON.stringify(subject)} not found`,
        {
          subject,
        },
      );
    }
    return this.#answer(found, subject);
  }

  async listVersions(subject: string): Promise<number[]> {
    await this.#enter('listVersions');
    return this.#subjectVersions(subject).map((v) => v.version);
  }

  async listSubjects(): Promise<string[]> {
    await this.#enter('listSubjects');
    return [...this.#subjects.keys()];
  }

  async getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    await this.#enter('getSubjectVersionsOfId');
    const out: SubjectVersion[] = [];
    for (const [subject, versions] of this.#subjects) {
      for (const v of versions) if (v.id === id) out.push({ subject, version: v.version });
    }
    return out;
  }

  async testCompatibility(): Promise<CompatibilityResult> {
    await this.#enter('testCompatibility');
    return { compatible: true, messages: [] };
  }

  async getCompatibility(): Promise<CompatibilityLevel> {
    await this.#enter('getCompatibility');
    return this.#compatibility;
  }

  async setCompatibility(level: CompatibilityLevel): Promise<void> {
    await this.#enter('setCompatibility');
    this.#compatibility = level;
  }

  async deleteSubject(subject: string, _options?: DeleteOptions): Promise<number[]> {
    await this.#enter('deleteSubject');
    const versions = this.#subjectVersions(subject);
    this.#subjects.delete(subject);
    return versions.map((v) => v.version);
  }

  async deleteVersion(subject: string, version: number, _options?: DeleteOptions): Promise<number> {
    await this.#enter('deleteVersion');
    const versions = this.#subjectVersions(subject);
    const at = versions.findIndex((v) => v.version === version);
    if (at < 0) throw registryError(40402, 404, `version ${version} of ${JSON.stringify(subject)} not found`);
    versions.splice(at, 1);
    return version;
  }

  #register(subject: string, schema: Schema): RegisteredSchema {
    // References are not checked on the way in, so a test can build the cycles a resolver must reject.
    const references = schema.references ?? [];
    const key = contentKey(schema);
    let id = this.#idsByContent.get(key);
    if (id === undefined) {
      id = this.#nextId++;
      this.#idsByContent.set(key, id);
      this.#schemas.set(id, {
        id,
        guid: guidOf(id),
        schemaType: schema.schemaType,
        schema: schema.schema,
        references,
      });
    }
    const versions = this.#subjects.get(subject) ?? [];
    this.#subjects.set(subject, versions);
    let found = versions.find((v) => v.id === id);
    if (found === undefined) {
      found = {
        version: (versions[versions.length - 1]?.version ?? 0) + 1,
        id,
        globalId: this.#nextGlobalId++,
      };
      versions.push(found);
    }
    return this.#answer(found, subject);
  }

  #subjectVersions(subject: string): StoredVersion[] {
    const versions = this.#subjects.get(subject);
    if (versions === undefined) {
      throw registryError(40401, 404, `subject ${JSON.stringify(subject)} not found`, { subject });
    }
    return versions;
  }

  #answer(version: StoredVersion, subject: string): RegisteredSchema {
    const stored = this.#schemas.get(version.id)!;
    return { ...toRegistered(stored), globalId: version.globalId, subject, version: version.version };
  }

  // Counts the call, then yields so concurrent callers really overlap, as they do against a server.
  async #enter(method: RegistryMethod): Promise<void> {
    this.calls[method]++;
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.#failures.get(method)?.shift();
    if (failure !== undefined) throw failure;
  }
}

/** The GUID the in-memory registry gives schema `id`. */
export function guidOf(id: number): string {
  return `00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;
}

function contentKey(schema: Schema): string {
  return JSON.stringify([schema.schemaType, schema.schema, schema.references ?? []]);
}

function toRegistered(stored: StoredSchema): RegisteredSchema {
  return {
    id: stored.id,
    guid: stored.guid,
    schemaType: stored.schemaType,
    schema: stored.schema,
    references: stored.references,
  };
}
