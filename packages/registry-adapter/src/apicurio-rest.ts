import type {
  CompatibilityLevel,
  CompatibilityResult,
  DeleteOptions,
  ErrorContext,
  LookupOptions,
  RegisteredSchema,
  RegisterOptions,
  Schema,
  SchemaId,
  SchemaReference,
  SchemaRegistryClient,
  SchemaType,
  SubjectVersion,
} from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  isCompatibilityLevel,
  isSchemaWireError,
  noVersionsYet,
  SchemaWireError,
} from '@schemawire/core-client';
import { checkId, checkOptionalSubject, checkSchemaId, checkSubject, checkVersion } from './arguments.js';
import type { HttpAnswer, HttpRequest, RestClientOptions } from './http-client.js';
import { badAnswer, integer, parseAnswer, RegistryHttpClient, record, shorten } from './http-client.js';

/** Options of an {@link ApicurioRestClient}. */
export interface ApicurioRestClientOptions extends RestClientOptions {
  /**
   * The URL of Apicurio Registry's v3 API, such as `http://localhost:8080/apis/registry/v3`; user info
   * in it (`http://user:password@host/…`) becomes Basic auth.
   */
  readonly baseUrl: string;
  /** The group whose artifacts are the subjects; default `default`. */
  readonly groupId?: string;
}

const ACCEPT = 'application/json, */*; q=0.5';
const PAGE_SIZE = 500;
const SCHEMA_TYPES: readonly string[] = ['AVRO', 'PROTOBUF', 'JSON'];
const CONTENT_TYPES: Readonly<Record<SchemaType, string>> = {
  AVRO: 'application/json',
  JSON: 'application/json',
  PROTOBUF: 'application/x-protobuf',
};
// Apicurio's soft delete: what its own Confluent-compatible API does to a soft-deleted version.
const DELETED_STATE = 'DISABLED';
const LATEST = 'branch=latest';
const MISSING: unique symbol = Symbol('missing');
// The answers that mean "no such rule here", so the next scope's rule applies.
const NO_RULE: readonly string[] = [
  'RuleNotFoundException',
  'ArtifactNotFoundException',
  'GroupNotFoundException',
];

/**
 * The one table from the exception `name` of Apicurio's problem details to a schemawire code. Answers
 * it does not name are mapped by their HTTP status (see {@link codeOfAnswer}).
 */
const PROBLEM_CODES: ReadonlyMap<string, ErrorCode> = new Map([
  ['ArtifactNotFoundException', ErrorCode.SubjectNotFound],
  ['GroupNotFoundException', ErrorCode.SubjectNotFound],
  ['VersionNotFoundException', ErrorCode.VersionNotFound],
  ['BranchNotFoundException', ErrorCode.VersionNotFound],
  ['ContentNotFoundException', ErrorCode.SchemaNotFound],
  ['RuleViolationException', ErrorCode.IncompatibleSchema],
  ['UnprocessableSchemaException', ErrorCode.InvalidSchema],
  ['UnprocessableEntityException', ErrorCode.InvalidSchema],
  ['InvalidContentException', ErrorCode.InvalidSchema],
  ['InvalidArtifactTypeException', ErrorCode.InvalidSchema],
  ['InvalidArtifactIdException', ErrorCode.InvalidRequest],
  ['InvalidGroupIdException', ErrorCode.InvalidRequest],
  ['InvalidVersionStateException', ErrorCode.InvalidRequest],
  ['InvalidCompatibilityLevelException', ErrorCode.InvalidRequest],
  ['ValidationException', ErrorCode.InvalidRequest],
  ['BadRequestException', ErrorCode.InvalidRequest],
  ['ArtifactAlreadyExistsException', ErrorCode.InvalidRequest],
  ['VersionAlreadyExistsException', ErrorCode.InvalidRequest],
  ['RuleAlreadyExistsException', ErrorCode.InvalidRequest],
  ['ReferenceExistsException', ErrorCode.InvalidRequest],
  ['NotAllowedException', ErrorCode.Unsupported], // a feature the registry has switched off (deletes)
  ['ReadOnlyStorageException', ErrorCode.Unsupported],
]);

interface Request extends HttpRequest {
  /** The code of a 404 answer, where the path names a schema by id rather than a subject. */
  readonly notFound?: ErrorCode;
}

/** Apicurio's problem details (RFC 7807), as far as an error answer has them. */
interface Problem {
  readonly name: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  /** Rule violations, `description at context`. */
  readonly causes: readonly string[];
  /** The answer's text when it was not problem details (a proxy's page). */
  readonly text: string | undefined;
}

/** An artifact version as Apicurio lists it. */
interface VersionEntry {
  readonly groupId: string;
  readonly artifactId: string;
  /** Apicurio numbers versions with strings; schemawire's are whole numbers. */
  readonly version: string;
  readonly globalId: number;
  readonly contentId: number;
  readonly artifactType: string;
  readonly state: string;
}

/**
 * A client of Apicurio Registry 3's own REST API (`/apis/registry/v3`). A subject is an artifact of
 * `groupId`; a schema's `id` is its contentId (what Apicurio's Confluent-compatible API calls the id)
 * and `globalId` names the version. Apicurio has no GUIDs.
 *
 * Deletes: Apicurio has no soft delete, so a soft delete disables the versions (state DISABLED), as
 * Apicurio's own Confluent-compatible API does. Disabled versions drop out of listings and `latest`,
 * `lookup` finds them only with `deleted`, and their content stays readable by contentId but no
 * longer by globalId (Apicurio serves no disabled version). Registering a disabled schema again makes
 * a new version, as Confluent does. A permanent delete needs the soft delete first, as in the Confluent
 * API, and then really deletes; Apicurio refuses that (SCHEMAWIRE_UNSUPPORTED) unless
 * `apicurio.rest.deletion.artifact-version.enabled` (versions) or
 * `apicurio.rest.deletion.artifact.enabled` (subjects) is on; both are off by default.
 *
 * Compatibility is the COMPATIBILITY rule: a subject's level is its artifact's rule, else its group's,
 * else the global one (`/admin/rules`), else NONE. Setting a subject's level needs the artifact to exist.
 */
export class ApicurioRestClient implements SchemaRegistryClient {
  /** The registry URL without user info, safe to print. */
  readonly baseUrl: string;
  /** The group whose artifacts are the subjects. */
  readonly groupId: string;
  readonly #http: RegistryHttpClient;
  readonly #groupPath: string;

  constructor(options: ApicurioRestClientOptions) {
    this.#http = new RegistryHttpClient(options, ACCEPT);
    this.baseUrl = this.#http.baseUrl;
    this.groupId = options.groupId ?? 'default';
    if (this.groupId === '') {
      throw new SchemaWireError(ErrorCode.Config, 'cannot create registry client: groupId is empty');
    }
    this.#groupPath = `/groups/${encodeURIComponent(this.groupId)}`;
  }

  /**
   * Creates the artifact or finds the version that holds `schema` (FIND_OR_CREATE_VERSION), or adds a
   * version; `normalize` compares canonical forms.
   */
  async register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    checkSubject('cannot register schema', subject);
    const context = { subject };
    const what = `the registration under subject ${JSON.stringify(subject)}`;
    const answer = await this.#request({
      method: 'POST',
      path: `${this.#groupPath}/artifacts`,
      query: {
        ifExists: 'FIND_OR_CREATE_VERSION',
        ...(options.normalize === true ? { canonical: 'true' } : {}),
      },
      ...json({ artifactId: subject, artifactType: schema.schemaType, firstVersion: this.#version(schema) }),
      context,
    });
    let found = versionEntry(record(answer, what)['version'], what);
    if (found.state === DELETED_STATE) {
      found = versionEntry(
        await this.#request({
          method: 'POST',
          path: `${this.#artifactPath(subject)}/versions`,
          ...json(this.#version(schema)),
          context,
        }),
        what,
      );
    }
    return { ...given(schema), ...identifiers(found, what) };
  }

  /**
   * Finds the latest version of `subject` whose content is `schema` (disabled ones too with `deleted`).
   * The answer holds `schema` as given. Apicurio's search by content hashes the text alone, while a
   * version's hash covers its references too, so a schema with references is found the way `register`
   * would find it: a dry run, confirmed by reading the version it names.
   */
  async lookup(subject: string, schema: Schema, options: LookupOptions = {}): Promise<RegisteredSchema> {
    checkSubject('cannot look up schema', subject);
    const context = { subject };
    const what = `the lookup under subject ${JSON.stringify(subject)}`;
    const matches =
      schema.references !== undefined && schema.references.length > 0
        ? await this.#findWithReferences(subject, schema, options, what)
        : await this.#findByContent(subject, schema, options, what);
    const found = matches
      .filter((entry) => options.deleted === true || entry.state !== DELETED_STATE)
      .sort((a, b) => a.globalId - b.globalId)
      .at(-1);
    if (found === undefined) {
      // An empty search does not tell a missing subject from a missing schema; the artifact does.
      await this.#request({ method: 'GET', path: this.#artifactPath(subject), context });
      throw new SchemaWireError(
        ErrorCode.SchemaNotFound,
        `cannot find schema under subject ${JSON.stringify(subject)}: no ${options.deleted === true ? '' : 'live '}version holds it`,
        context,
      );
    }
    return { ...given(schema), ...identifiers(found, what) };
  }

  /**
   * The schema a message names: by globalId (a version; none for a disabled one), or by contentId
   * (kinds `id` and `contentId`), whose subject and version are those of the first version of this
   * group that holds it. Kind `guid` is SCHEMAWIRE_UNSUPPORTED: Apicurio has no GUIDs.
   */
  async getSchema(id: SchemaId): Promise<RegisteredSchema> {
    checkSchemaId('cannot get schema', id);
    switch (id.kind) {
      case 'guid':
        throw new SchemaWireError(
          ErrorCode.Unsupported,
          `cannot get schema by guid ${JSON.stringify(id.guid)}: Apicurio Registry has no GUIDs`,
        );
      case 'globalId':
        return this.#byGlobalId(id.globalId);
      case 'id':
        return this.#byContentId(id.id);
      case 'contentId':
        return this.#byContentId(id.contentId);
    }
  }

  /** A version of a subject, or its latest; SCHEMAWIRE_VERSION_NOT_FOUND for a disabled one. */
  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    checkSubject('cannot get version', subject);
    checkVersion('cannot get version', version, true);
    const latest = version === 'latest';
    const context = { subject, ...(latest ? {} : { version }) };
    const what = `version ${JSON.stringify(version)} of ${JSON.stringify(subject)}`;
    const entry = await this.#versionOf(subject, version, context, what);
    if (entry.state === DELETED_STATE) {
      throw new SchemaWireError(
        ErrorCode.VersionNotFound,
        `cannot get version ${version} of subject ${JSON.stringify(subject)}: it is soft-deleted (disabled)`,
        context,
      );
    }
    const path = `${this.#artifactPath(subject)}/versions/${encodeURIComponent(entry.version)}`;
    const [text, references] = await Promise.all([
      this.#text({ method: 'GET', path: `${path}/content`, context }),
      this.#request({ method: 'GET', path: `${path}/references`, context }),
    ]);
    return {
      schema: text,
      schemaType: schemaTypeOf(entry.artifactType, what),
      references: referencesOf(references, what),
      ...identifiers(entry, what),
    };
  }

  /** The versions of a subject that are not disabled, oldest first. */
  async listVersions(subject: string): Promise<number[]> {
    checkSubject('cannot list versions', subject);
    const what = `the versions of subject ${JSON.stringify(subject)}`;
    const live = (await this.#versionsOf(subject, what)).filter((entry) => entry.state !== DELETED_STATE);
    if (live.length === 0) {
      throw new SchemaWireError(
        ErrorCode.SubjectNotFound,
        `cannot list versions of subject ${JSON.stringify(subject)}: every version is soft-deleted (disabled)`,
        { subject },
      );
    }
    return numbers(live, what);
  }

  /** The artifacts of the group with a version that is not disabled (any version with `deleted`), sorted. */
  async listSubjects(options: { readonly deleted?: boolean } = {}): Promise<string[]> {
    const what = `the versions of group ${JSON.stringify(this.groupId)}`;
    const entries = await this.#pages(
      { method: 'GET', path: '/search/versions', query: { groupId: this.groupId }, context: {} },
      what,
    );
    const subjects = new Set<string>();
    for (const entry of entries) {
      if (options.deleted === true || entry.state !== DELETED_STATE) subjects.add(entry.artifactId);
    }
    return [...subjects].sort();
  }

  /** The subjects (artifacts of this group) and versions, not disabled, that hold contentId `id`. */
  async getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    checkId('cannot get the subjects of schema id', id);
    const what = `the versions of schema id ${id}`;
    const entries = await this.#pages(
      {
        method: 'GET',
        path: '/search/versions',
        query: { contentId: String(id), groupId: this.groupId },
        context: { schemaId: id },
      },
      what,
    );
    if (entries.length === 0) {
      throw new SchemaWireError(
        ErrorCode.SchemaNotFound,
        `cannot find schema id ${id}: no version of group ${JSON.stringify(this.groupId)} holds it`,
        { schemaId: id },
      );
    }
    return entries
      .filter((entry) => entry.state !== DELETED_STATE)
      .sort((a, b) => a.globalId - b.globalId)
      .map((entry) => ({ subject: entry.artifactId, version: numbered(entry, what) }));
  }

  /**
   * Whether `schema` passes the rules of `subject`, by a dry run of creating a version: Apicurio checks
   * a new version against the latest (all versions at a _TRANSITIVE level), so a numbered `version`
   * other than the latest is SCHEMAWIRE_UNSUPPORTED. A subject with no versions accepts anything. The
   * messages are the rule violation's causes.
   */
  async testCompatibility(
    subject: string,
    schema: Schema,
    version: number | 'latest' = 'latest',
  ): Promise<CompatibilityResult> {
    checkSubject('cannot test compatibility', subject);
    checkVersion('cannot test compatibility', version, true);
    const context = { subject, ...(version === 'latest' ? {} : { version }) };
    if (version !== 'latest') {
      const latest = await this.#versionOf(
        subject,
        'latest',
        context,
        `the latest version of ${JSON.stringify(subject)}`,
      );
      if (latest.version !== String(version)) {
        throw new SchemaWireError(
          ErrorCode.Unsupported,
          `cannot test compatibility with version ${version} of subject ${JSON.stringify(subject)}: Apicurio Registry checks against the latest version (${latest.version})`,
          context,
        );
      }
    }
    const request: Request = {
      method: 'POST',
      path: `${this.#artifactPath(subject)}/versions`,
      query: { dryRun: 'true' },
      ...json(this.#version(schema)),
      context,
    };
    const answer = await this.#http.send(request);
    if (answer.ok) return { compatible: true, messages: [] };
    const problem = problemOf(answer.text);
    if (problem.name === 'RuleViolationException') {
      const messages = problem.causes.length > 0 ? problem.causes : [problem.title ?? 'rule violation'];
      return { compatible: false, messages };
    }
    if (version === 'latest' && problem.name === 'ArtifactNotFoundException') return noVersionsYet();
    throw this.#error(request, answer, problem);
  }

  /** The COMPATIBILITY rule of `subject`, else of its group, else the global one; NONE without any. */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    checkOptionalSubject('cannot get compatibility', subject);
    const scopes =
      subject === undefined
        ? ['/admin/rules']
        : [`${this.#artifactPath(subject)}/rules`, `${this.#groupPath}/rules`, '/admin/rules'];
    for (const scope of scopes) {
      const rule = await this.#optional(
        {
          method: 'GET',
          path: `${scope}/COMPATIBILITY`,
          context: subject === undefined ? {} : { subject },
        },
        NO_RULE,
      );
      if (rule === MISSING) continue;
      const what = `the COMPATIBILITY rule at ${scope}`;
      const level = record(rule, what)['config'];
      if (!isCompatibilityLevel(level)) {
        throw badAnswer(what, `compatibility level ${describeValue(level)} is unknown`);
      }
      return level;
    }
    return 'NONE';
  }

  /** Sets the COMPATIBILITY rule of `subject` (an existing artifact), or the global one. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    checkOptionalSubject('cannot set compatibility', subject);
    const context = subject === undefined ? {} : { subject };
    if (!isCompatibilityLevel(level)) {
      // Apicurio stores any text as the rule's config, and then fails every later check.
      throw new SchemaWireError(
        ErrorCode.InvalidRequest,
        `cannot set compatibility: level ${describeValue(level)} is unknown`,
        context,
      );
    }
    const scope = subject === undefined ? '/admin/rules' : `${this.#artifactPath(subject)}/rules`;
    const body = json({ ruleType: 'COMPATIBILITY', config: level });
    const updated = await this.#optional(
      { method: 'PUT', path: `${scope}/COMPATIBILITY`, ...body, context },
      ['RuleNotFoundException'],
    );
    if (updated === MISSING) await this.#request({ method: 'POST', path: scope, ...body, context });
  }

  /**
   * Soft: disables every live version and returns them; permanent: deletes the artifact, whose versions
   * must all be disabled first, and returns all its versions. See the class comment.
   */
  async deleteSubject(subject: string, options: DeleteOptions = {}): Promise<number[]> {
    checkSubject('cannot delete subject', subject);
    const context = { subject };
    const what = `the versions of subject ${JSON.stringify(subject)}`;
    const entries = await this.#versionsOf(subject, what);
    const live = entries.filter((entry) => entry.state !== DELETED_STATE);
    if (options.permanent !== true) {
      if (live.length === 0) {
        throw new SchemaWireError(
          ErrorCode.SubjectNotFound,
          `cannot delete subject ${JSON.stringify(subject)}: it is soft-deleted already`,
          context,
        );
      }
      for (const entry of live) await this.#disable(subject, entry.version, context);
      return numbers(live, what);
    }
    if (live.length > 0) {
      throw new SchemaWireError(
        ErrorCode.InvalidRequest,
        `cannot delete subject ${JSON.stringify(subject)} permanently: it must be soft-deleted first`,
        context,
      );
    }
    await this.#request({ method: 'DELETE', path: this.#artifactPath(subject), context });
    return numbers(entries, what);
  }

  /**
   * Soft: disables the version; permanent: deletes it, which must be disabled first. See the class
   * comment.
   */
  async deleteVersion(subject: string, version: number, options: DeleteOptions = {}): Promise<number> {
    checkSubject('cannot delete version', subject);
    checkVersion('cannot delete version', version, false);
    const context = { subject, version };
    const path = `${this.#artifactPath(subject)}/versions/${version}`;
    const what = `version ${version} of ${JSON.stringify(subject)}`;
    const entry = await this.#versionOf(subject, version, context, what);
    const disabled = entry.state === DELETED_STATE;
    if (options.permanent !== true) {
      if (disabled) {
        throw new SchemaWireError(
          ErrorCode.VersionNotFound,
          `cannot delete version ${version} of subject ${JSON.stringify(subject)}: it is soft-deleted already`,
          context,
        );
      }
      await this.#disable(subject, entry.version, context);
      return version;
    }
    if (!disabled) {
      throw new SchemaWireError(
        ErrorCode.InvalidRequest,
        `cannot delete version ${version} of subject ${JSON.stringify(subject)} permanently: it must be soft-deleted first`,
        context,
      );
    }
    await this.#request({ method: 'DELETE', path, context });
    return version;
  }

  // A version's metadata. Apicurio says "no such version" for every version of a missing artifact
  // too; a subject that is not there is SCHEMAWIRE_SUBJECT_NOT_FOUND, as in the Confluent API.
  async #versionOf(
    subject: string,
    version: number | 'latest',
    context: ErrorContext,
    what: string,
  ): Promise<VersionEntry> {
    const request: Request = {
      method: 'GET',
      path: `${this.#artifactPath(subject)}/versions/${encodeURIComponent(version === 'latest' ? LATEST : String(version))}`,
      context,
    };
    try {
      return versionEntry(await this.#request(request), what);
    } catch (error) {
      if (!isSchemaWireError(error, ErrorCode.VersionNotFound)) throw error;
      await this.#request({ method: 'GET', path: this.#artifactPath(subject), context });
      if (version !== 'latest') throw error;
      // Without a live version `latest` finds none: the subject is soft-deleted, which Confluent calls gone.
      throw new SchemaWireError(
        ErrorCode.SubjectNotFound,
        `cannot get the latest version of subject ${JSON.stringify(subject)}: every version is soft-deleted (disabled)`,
        { ...context, cause: error },
      );
    }
  }

  async #findByContent(
    subject: string,
    schema: Schema,
    options: LookupOptions,
    what: string,
  ): Promise<VersionEntry[]> {
    const query: Record<string, string> = { groupId: this.groupId, artifactId: subject };
    if (options.normalize === true) {
      query['canonical'] = 'true';
      query['artifactType'] = schema.schemaType;
    }
    return this.#pages(
      {
        method: 'POST',
        path: '/search/versions',
        query,
        body: schema.schema,
        contentType: CONTENT_TYPES[schema.schemaType],
        context: { subject },
      },
      what,
    );
  }

  async #findWithReferences(
    subject: string,
    schema: Schema,
    options: LookupOptions,
    what: string,
  ): Promise<VersionEntry[]> {
    const context = { subject };
    const query: Record<string, string> = { ifExists: 'FIND_OR_CREATE_VERSION', dryRun: 'true' };
    if (options.normalize === true) query['canonical'] = 'true';
    const request: Request = {
      method: 'POST',
      path: `${this.#groupPath}/artifacts`,
      query,
      ...json({ artifactId: subject, artifactType: schema.schemaType, firstVersion: this.#version(schema) }),
      context,
    };
    const answer = await this.#http.send(request);
    if (!answer.ok) {
      const problem = problemOf(answer.text);
      const error = this.#error(request, answer, problem);
      // A schema the rules would refuse is not registered: the lookup finds nothing.
      if (
        isSchemaWireError(error, ErrorCode.IncompatibleSchema) ||
        isSchemaWireError(error, ErrorCode.InvalidSchema)
      ) {
        return [];
      }
      throw error;
    }
    // A dry run answers with the version it would create when it finds none; only a stored one counts.
    const candidate = versionEntry(record(parseAnswer(answer), what)['version'], what);
    const stored = await this.#optional(
      {
        method: 'GET',
        path: `${this.#artifactPath(subject)}/versions/${encodeURIComponent(candidate.version)}`,
        context,
      },
      ['ArtifactNotFoundException', 'VersionNotFoundException'],
    );
    if (stored === MISSING) return [];
    const entry = versionEntry(stored, what);
    return entry.globalId === candidate.globalId ? [entry] : [];
  }

  async #byGlobalId(globalId: number): Promise<RegisteredSchema> {
    const what = `schema globalId ${globalId}`;
    const notFound = ErrorCode.SchemaNotFound;
    const path = `/ids/globalIds/${globalId}`;
    const [text, references, found] = await Promise.all([
      this.#text({ method: 'GET', path, context: {}, notFound }),
      this.#request({ method: 'GET', path: `${path}/references`, context: {}, notFound }),
      this.#pages(
        { method: 'GET', path: '/search/versions', query: { globalId: String(globalId) }, context: {} },
        what,
      ),
    ]);
    const entry = found[0];
    if (entry === undefined) {
      throw new SchemaWireError(
        ErrorCode.SchemaNotFound,
        `cannot find schema globalId ${globalId}: no version has it`,
      );
    }
    return {
      schema: text,
      schemaType: schemaTypeOf(entry.artifactType, what),
      references: referencesOf(references, what),
      ...identifiers(entry, what),
    };
  }

  async #byContentId(contentId: number): Promise<RegisteredSchema> {
    const what = `schema id ${contentId}`;
    const context = { schemaId: contentId };
    const notFound = ErrorCode.SchemaNotFound;
    const path = `/ids/contentIds/${contentId}`;
    const [text, references, found] = await Promise.all([
      this.#text({ method: 'GET', path, context, notFound }),
      this.#request({ method: 'GET', path: `${path}/references`, context, notFound }),
      this.#pages(
        { method: 'GET', path: '/search/versions', query: { contentId: String(contentId) }, context },
        what,
      ),
    ]);
    // Content is shared: prefer a live version of this group, then any of this group, then any at all.
    const ours = (entry: VersionEntry) => entry.groupId === this.groupId;
    const rank = (entry: VersionEntry) => (ours(entry) ? 0 : 2) + (entry.state === DELETED_STATE ? 1 : 0);
    const holder = found.sort((a, b) => rank(a) - rank(b) || a.globalId - b.globalId)[0];
    if (holder === undefined) {
      // Content outlives a deleted artifact for a while; Apicurio's Confluent API no longer serves it either.
      throw new SchemaWireError(
        ErrorCode.SchemaNotFound,
        `cannot find schema id ${contentId}: no version holds it`,
        context,
      );
    }
    return {
      schema: text,
      schemaType: schemaTypeOf(holder.artifactType, what),
      references: referencesOf(references, what),
      ...(ours(holder) ? identifiers(holder, what) : {}),
      id: contentId,
    };
  }

  #disable(subject: string, version: string, context: { subject: string }): Promise<unknown> {
    return this.#request({
      method: 'PUT',
      path: `${this.#artifactPath(subject)}/versions/${encodeURIComponent(version)}/state`,
      ...json({ state: DELETED_STATE }),
      context,
    });
  }

  #versionsOf(subject: string, what: string): Promise<VersionEntry[]> {
    return this.#pages(
      { method: 'GET', path: `${this.#artifactPath(subject)}/versions`, context: { subject } },
      what,
    );
  }

  // The version to create: the content in the content type of its schema type, and the references
  // as Apicurio names them (artifacts of this group, versions as strings).
  #version(schema: Schema): { content: Record<string, unknown> } {
    return {
      content: {
        content: schema.schema,
        contentType: CONTENT_TYPES[schema.schemaType],
        references: (schema.references ?? []).map((reference) => ({
          groupId: this.groupId,
          artifactId: reference.subject,
          version: String(reference.version),
          name: reference.name,
        })),
      },
    };
  }

  #artifactPath(subject: string): string {
    return `${this.#groupPath}/artifacts/${encodeURIComponent(subject)}`;
  }

  // Every entry of a paged version listing or search.
  async #pages(request: Request, what: string): Promise<VersionEntry[]> {
    const out: VersionEntry[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const answer = await this.#request({
        ...request,
        query: { ...request.query, offset: String(offset), limit: String(PAGE_SIZE) },
      });
      const versions = record(answer, what)['versions'];
      if (!Array.isArray(versions)) throw badAnswer(what, 'it has no list of versions');
      for (const entry of versions) out.push(versionEntry(entry, what));
      if (versions.length < PAGE_SIZE) return out;
    }
  }

  async #request(request: Request): Promise<unknown> {
    const answer = await this.#http.send(request);
    if (!answer.ok) throw this.#error(request, answer, problemOf(answer.text));
    return parseAnswer(answer);
  }

  // A schema's text: Apicurio answers content as it was registered, not as JSON.
  async #text(request: Request): Promise<string> {
    const answer = await this.#http.send(request);
    if (!answer.ok) throw this.#error(request, answer, problemOf(answer.text));
    return answer.text;
  }

  // The answer, or MISSING when the registry answered 404 with one of the `missing` problems.
  async #optional(request: Request, missing: readonly string[]): Promise<unknown> {
    const answer = await this.#http.send(request);
    if (answer.ok) return parseAnswer(answer);
    const problem = problemOf(answer.text);
    if (answer.status === 404 && problem.name !== undefined && missing.includes(problem.name)) return MISSING;
    throw this.#error(request, answer, problem);
  }

  #error(request: Request, answer: HttpAnswer, problem: Problem): SchemaWireError {
    const code =
      answer.status === 404 && request.notFound !== undefined
        ? request.notFound
        : codeOfAnswer(problem.name, answer.status);
    return new SchemaWireError(
      code,
      this.#http.redact(
        `cannot complete registry request: ${answer.label} answered ${answer.status}${describeProblem(problem)}${this.#http.refusal(answer.status)}`,
      ),
      { ...request.context, httpStatus: answer.status },
    );
  }
}

/** The schemawire code of an Apicurio error answer: by status where it says it all, else by the table. */
function codeOfAnswer(name: string | undefined, status: number): ErrorCode {
  if (status === 408 || status === 429 || status >= 500) return ErrorCode.RegistryUnavailable;
  if (status === 401 || status === 403) return ErrorCode.RegistryUnauthorized;
  const mapped = name === undefined ? undefined : PROBLEM_CODES.get(name);
  if (mapped !== undefined) return mapped;
  if (status === 404) return ErrorCode.SchemaNotFound;
  if (status === 400 || status === 409 || status === 422) return ErrorCode.InvalidRequest;
  if (status === 405) return ErrorCode.Unsupported;
  return ErrorCode.RegistryError;
}

function problemOf(text: string): Problem {
  const none = { name: undefined, title: undefined, detail: undefined, causes: [] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A proxy's HTML page or plain text: only the status says what happened.
    return { ...none, text: text === '' ? undefined : shorten(text) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ...none, text: shorten(text) };
  }
  const { name, title, detail, causes } = body as Record<string, unknown>;
  const string = (value: unknown) => (typeof value === 'string' ? shorten(value) : undefined);
  return {
    name: string(name),
    title: string(title),
    detail: string(detail),
    causes: Array.isArray(causes) ? causes.map(causeText) : [],
    text: undefined,
  };
}

function causeText(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return String(cause);
  const { description, context } = cause as Record<string, unknown>;
  const text = typeof description === 'string' ? description : JSON.stringify(cause);
  return typeof context === 'string' && context !== '' ? `${text} at ${context}` : text;
}

// `: Name: "title" ("detail") causes: [...]`, each part where the answer has it and it says something new.
function describeProblem(problem: Problem): string {
  if (problem.text !== undefined) return `: ${JSON.stringify(problem.text)}`;
  let out = problem.name === undefined ? '' : ` ${problem.name}`;
  if (problem.title !== undefined) out += `: ${JSON.stringify(problem.title)}`;
  const { detail } = problem;
  // Apicurio's detail is mostly "<name>: <title>"; it says more only when a parser's message is in it.
  if (
    detail !== undefined &&
    detail !== `${problem.name}: ${problem.title}` &&
    (problem.title === undefined || !detail.startsWith(problem.title))
  ) {
    out += ` (${JSON.stringify(detail)})`;
  }
  if (problem.causes.length > 0) out += `, causes: ${JSON.stringify(problem.causes)}`;
  return out;
}

function json(body: unknown): { body: string; contentType: string } {
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

function given(schema: Schema): Schema & { references: readonly SchemaReference[] } {
  return { schemaType: schema.schemaType, schema: schema.schema, references: schema.references ?? [] };
}

function versionEntry(value: unknown, what: string): VersionEntry {
  const fields = record(value, what);
  const { groupId, artifactId, version, artifactType, state } = fields;
  if (typeof artifactId !== 'string') throw badAnswer(what, 'a version has no artifactId');
  if (typeof version !== 'string') throw badAnswer(what, `version ${describeValue(version)} is not a string`);
  if (typeof artifactType !== 'string') throw badAnswer(what, 'a version has no artifactType');
  return {
    // Apicurio stores the default group as no group at all, and leaves it out of its answers.
    groupId: typeof groupId === 'string' ? groupId : 'default',
    artifactId,
    version,
    globalId: integer(fields['globalId'], 'globalId', what),
    contentId: integer(fields['contentId'], 'contentId', what),
    artifactType,
    state: typeof state === 'string' ? state : 'ENABLED',
  };
}

function numbered(entry: VersionEntry, what: string): number {
  if (!/^[0-9]{1,15}$/.test(entry.version)) {
    throw badAnswer(what, `version ${JSON.stringify(entry.version)} is not a whole number`);
  }
  return Number(entry.version);
}

function numbers(entries: readonly VersionEntry[], what: string): number[] {
  return entries.map((entry) => numbered(entry, what)).sort((a, b) => a - b);
}

function identifiers(
  entry: VersionEntry,
  what: string,
): { id: number; globalId: number; subject: string; version: number } {
  return {
    id: entry.contentId,
    globalId: entry.globalId,
    subject: entry.artifactId,
    version: numbered(entry, what),
  };
}

function schemaTypeOf(artifactType: string, what: string): SchemaType {
  if (!SCHEMA_TYPES.includes(artifactType)) {
    throw badAnswer(
      what,
      `artifact type ${JSON.stringify(artifactType)} is not a schema type schemawire knows`,
    );
  }
  return artifactType as SchemaType;
}

function referencesOf(value: unknown, what: string): SchemaReference[] {
  if (!Array.isArray(value)) throw badAnswer(what, 'its references are not a list');
  return value.map((entry: unknown) => {
    const { name, artifactId, version } = record(entry, what);
    if (typeof name !== 'string' || typeof artifactId !== 'string') {
      throw badAnswer(what, `reference ${describeValue(entry)} lacks a name or artifactId`);
    }
    if (typeof version !== 'string' || !/^[0-9]{1,15}$/.test(version)) {
      throw badAnswer(
        what,
        `reference ${JSON.stringify(name)} has version ${describeValue(version)}, not a whole number`,
      );
    }
    return { name, subject: artifactId, version: Number(version) };
  });
}
