import { setTimeout as sleep } from 'node:timers/promises';
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
  registryError,
  SchemaWireError,
} from '@schemawire/core-client';

/** Credentials of a registry: HTTP Basic, or a bearer token. */
export type ConfluentRestAuth =
  | { readonly username: string; readonly password: string }
  | { readonly token: string };

/** Options of a {@link ConfluentRestClient}. */
export interface ConfluentRestClientOptions {
  /** The registry's URL; user info in it (`http://user:password@host`) becomes Basic auth. */
  readonly baseUrl: string;
  /** Credentials; they win over user info in `baseUrl`. */
  readonly auth?: ConfluentRestAuth;
  /** Time allowed for one request, answer included; default 10000 ms. */
  readonly timeoutMs?: number;
  /** Retries after a network error, timeout, 408, 429 or 5xx answer; default 3. */
  readonly retries?: number;
  /** The first retry waits about this long, each next one twice as long; default 100 ms. */
  readonly retryBackoffMs?: number;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof fetch;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';
const MAX_BACKOFF_MS = 10_000;
const SCHEMA_TYPES: readonly string[] = ['AVRO', 'PROTOBUF', 'JSON'];

interface Request {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly context: ErrorContext;
}

/**
 * A client of the Confluent Schema Registry REST API, which Karapace, Redpanda and Apicurio (under
 * `/apis/ccompat/v7`) speak too. It only sends what each call asks for: `register` posts the schema and
 * never touches the subject's compatibility config.
 */
export class ConfluentRestClient implements SchemaRegistryClient {
  /** The registry URL without user info, safe to print. */
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly string[];
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryBackoffMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ConfluentRestClientOptions) {
    if (!URL.canParse(options.baseUrl)) {
      // The text may hold credentials, so the message does not repeat it.
      throw new SchemaWireError(ErrorCode.Config, 'cannot create registry client: baseUrl is not a URL');
    }
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot create registry client: baseUrl has protocol ${JSON.stringify(url.protocol)}, not http: or https:`,
      );
    }
    let auth = options.auth;
    if (auth === undefined && (url.username !== '' || url.password !== '')) {
      auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    this.#retries = count('retries', options.retries ?? 3);
    this.#retryBackoffMs = atLeastZero('retryBackoffMs', options.retryBackoffMs ?? 100);
    this.#fetch = options.fetch ?? fetch;
    this.#headers = { accept: ACCEPT, ...lowerCaseKeys(options.headers ?? {}) };
    const secrets: string[] = [];
    if (auth !== undefined) {
      if ('token' in auth) {
        this.#headers['authorization'] = `Bearer ${auth.token}`;
        secrets.push(auth.token);
      } else {
        const basic = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
        this.#headers['authorization'] = `Basic ${basic}`;
        secrets.push(auth.password, basic);
      }
    }
    this.#secrets = secrets.filter((secret) => secret.length > 0);
  }

  /** Posts `schema` to `subject`; the answer's version and guid are kept when the registry sends them. */
  async register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    const answer = await this.#request({
      method: 'POST',
      path: `/subjects/${encodeURIComponent(subject)}/versions`,
      query: options.normalize === true ? { normalize: 'true' } : {},
      body: schemaBody(schema),
      context: { subject },
    });
    const what = `the registration under subject ${JSON.stringify(subject)}`;
    const fields = record(answer, what);
    return {
      schemaType: schema.schemaType,
      schema: schema.schema,
      references: schema.references ?? [],
      id: integer(fields['id'], 'id', what),
      subject: typeof fields['subject'] === 'string' ? fields['subject'] : subject,
      ...optionalFields(fields, what),
    };
  }

  /** Finds the version of `subject` that holds `schema`. */
  async lookup(subject: string, schema: Schema, options: LookupOptions = {}): Promise<RegisteredSchema> {
    const query: Record<string, string> = {};
    if (options.normalize === true) query['normalize'] = 'true';
    if (options.deleted === true) query['deleted'] = 'true';
    const answer = await this.#request({
      method: 'POST',
      path: `/subjects/${encodeURIComponent(subject)}`,
      query,
      body: schemaBody(schema),
      context: { subject },
    });
    return subjectVersionAnswer(answer, `the lookup under subject ${JSON.stringify(subject)}`);
  }

  /**
   * The schema a message names. Kind `contentId` reads `/schemas/ids/{id}` like kind `id`: the ids that
   * Apicurio's ccompat API serves are its contentIds. Kind `globalId` has no Confluent endpoint
   * (SCHEMAWIRE_UNSUPPORTED). A `guid` answer carries no numeric id unless the registry adds one; the id
   * is then -1.
   */
  async getSchema(id: SchemaId): Promise<RegisteredSchema> {
    if (id.kind === 'globalId') {
      throw new SchemaWireError(
        ErrorCode.Unsupported,
        `cannot get schema by globalId ${id.globalId}: the Confluent registry API has no globalIds`,
      );
    }
    if (id.kind === 'guid') {
      const answer = await this.#request({
        method: 'GET',
        path: `/schemas/guids/${encodeURIComponent(id.guid)}`,
        context: {},
      });
      const what = `schema guid ${JSON.stringify(id.guid)}`;
      const fields = record(answer, what);
      return {
        ...schemaAnswer(fields, what),
        id: fields['id'] === undefined ? -1 : integer(fields['id'], 'id', what),
        guid: id.guid,
        ...optionalFields(fields, what),
      };
    }
    const numeric = id.kind === 'id' ? id.id : id.contentId;
    const answer = await this.#request({
      method: 'GET',
      path: `/schemas/ids/${numeric}`,
      context: { schemaId: numeric },
    });
    const what = `schema id ${numeric}`;
    const fields = record(answer, what);
    return { ...schemaAnswer(fields, what), id: numeric, ...optionalFields(fields, what) };
  }

  /** A version of a subject, or its latest. */
  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const answer = await this.#request({
      method: 'GET',
      path: `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      context: { subject, ...(version === 'latest' ? {} : { version }) },
    });
    return subjectVersionAnswer(answer, `version ${JSON.stringify(version)} of ${JSON.stringify(subject)}`);
  }

  /** The live versions of a subject, oldest first. */
  async listVersions(subject: string): Promise<number[]> {
    const answer = await this.#request({
      method: 'GET',
      path: `/subjects/${encodeURIComponent(subject)}/versions`,
      context: { subject },
    });
    return integers(answer, `the versions of subject ${JSON.stringify(subject)}`);
  }

  /** The live subjects, and with `deleted` the soft-deleted ones too. */
  async listSubjects(options: { readonly deleted?: boolean } = {}): Promise<string[]> {
    const answer = await this.#request({
      method: 'GET',
      path: '/subjects',
      query: options.deleted === true ? { deleted: 'true' } : {},
      context: {},
    });
    if (!Array.isArray(answer) || !answer.every((subject) => typeof subject === 'string')) {
      throw badAnswer('the subjects', 'it is not a list of strings');
    }
    return answer;
  }

  /** The subjects and versions that hold schema `id`. */
  async getSubjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    const answer = await this.#request({
      method: 'GET',
      path: `/schemas/ids/${id}/versions`,
      context: { schemaId: id },
    });
    const what = `the versions of schema id ${id}`;
    if (!Array.isArray(answer)) throw badAnswer(what, 'it is not a list');
    return answer.map((entry: unknown) => {
      const fields = record(entry, what);
      if (typeof fields['subject'] !== 'string') throw badAnswer(what, 'an entry has no subject');
      return { subject: fields['subject'], version: integer(fields['version'], 'version', what) };
    });
  }

  /**
   * Whether `schema` is compatible with a version of `subject` (default: the latest) at the subject's
   * level; a subject with no versions yet accepts anything.
   */
  async testCompatibility(
    subject: string,
    schema: Schema,
    version: number | 'latest' = 'latest',
  ): Promise<CompatibilityResult> {
    let answer: unknown;
    try {
      answer = await this.#request({
        method: 'POST',
        path: `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}`,
        query: { verbose: 'true' },
        body: schemaBody(schema),
        context: { subject, ...(version === 'latest' ? {} : { version }) },
      });
    } catch (error) {
      // Older registries answer "subject not found" where newer ones say a first schema is compatible.
      if (version === 'latest' && isSchemaWireError(error, ErrorCode.SubjectNotFound)) {
        return { compatible: true, messages: [] };
      }
      throw error;
    }
    const what = `the compatibility check under subject ${JSON.stringify(subject)}`;
    const fields = record(answer, what);
    if (typeof fields['is_compatible'] !== 'boolean') throw badAnswer(what, 'it has no is_compatible');
    const messages = Array.isArray(fields['messages']) ? fields['messages'] : [];
    return {
      compatible: fields['is_compatible'],
      messages: messages.map((message: unknown) =>
        typeof message === 'string' ? message : JSON.stringify(message),
      ),
    };
  }

  /** The level of `subject` (falling back to the global one), or the global one. */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    let answer: unknown;
    try {
      answer = await this.#request(
        subject === undefined
          ? { method: 'GET', path: '/config', context: {} }
          : {
              method: 'GET',
              path: `/config/${encodeURIComponent(subject)}`,
              query: { defaultToGlobal: 'true' },
              context: { subject },
            },
      );
    } catch (error) {
      // Registries that ignore defaultToGlobal answer 40408 for a subject without a level of its own.
      if (subject !== undefined && isSchemaWireError(error) && error.registryErrorCode === 40408) {
        return this.getCompatibility();
      }
      throw error;
    }
    const what = subject === undefined ? 'the global config' : `the config of ${JSON.stringify(subject)}`;
    const fields = record(answer, what);
    const level = fields['compatibilityLevel'] ?? fields['compatibility'];
    if (!isCompatibilityLevel(level)) {
      throw badAnswer(what, `compatibility level ${describeValue(level)} is unknown`);
    }
    return level;
  }

  /** Sets the level of `subject`, or the global one. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    await this.#request({
      method: 'PUT',
      path: subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`,
      body: { compatibility: level },
      context: subject === undefined ? {} : { subject },
    });
  }

  /** Deletes a subject (soft, or hard with `permanent`); returns the versions deleted. */
  async deleteSubject(subject: string, options: DeleteOptions = {}): Promise<number[]> {
    const answer = await this.#request({
      method: 'DELETE',
      path: `/subjects/${encodeURIComponent(subject)}`,
      query: options.permanent === true ? { permanent: 'true' } : {},
      context: { subject },
    });
    return integers(answer, `the deletion of subject ${JSON.stringify(subject)}`);
  }

  /** Deletes one version of a subject (soft, or hard with `permanent`); returns it. */
  async deleteVersion(subject: string, version: number, options: DeleteOptions = {}): Promise<number> {
    const answer = await this.#request({
      method: 'DELETE',
      path: `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      query: options.permanent === true ? { permanent: 'true' } : {},
      context: { subject, version },
    });
    return integer(answer, 'version', `the deletion of version ${version} of ${JSON.stringify(subject)}`);
  }

  // Sends one call, retrying network errors, timeouts, 408, 429 and 5xx with jittered exponential
  // backoff; never a 4xx, which would fail again the same way.
  async #request(request: Request): Promise<unknown> {
    const search = new URLSearchParams(request.query ?? {}).toString();
    const target = `${request.path}${search === '' ? '' : `?${search}`}`;
    const label = `${request.method} ${request.path}`;
    const headers =
      request.body === undefined ? this.#headers : { ...this.#headers, 'content-type': CONTENT_TYPE };
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const send = this.#fetch;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#retries;
      let response: Response;
      let text: string;
      try {
        response = await send(`${this.baseUrl}${target}`, {
          method: request.method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if (last) throw this.#unavailable(label, attempt + 1, error, request.context);
        await this.#backoff(attempt);
        continue;
      }
      if (response.ok) return parseAnswer(text, label);
      const status = response.status;
      if (!last && (status === 408 || status === 429 || status >= 500)) {
        await this.#backoff(attempt);
        continue;
      }
      const { errorCode, message } = errorAnswer(text);
      const detail = `${label} answered ${status}${message === undefined ? '' : `: ${JSON.stringify(message)}`}`;
      throw registryError(errorCode, status, this.#redact(detail), request.context);
    }
  }

  #backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(MAX_BACKOFF_MS, this.#retryBackoffMs * 2 ** attempt);
    // Half fixed, half random: clients that failed together do not all come back together.
    return sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  #unavailable(label: string, attempts: number, error: unknown, context: ErrorContext): SchemaWireError {
    const timedOut = property(error, 'name') === 'TimeoutError';
    const reason = timedOut ? `timed out after ${this.#timeoutMs} ms` : networkReason(error);
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return new SchemaWireError(
      ErrorCode.RegistryUnavailable,
      this.#redact(`cannot reach registry: ${label} ${reason} (${tries})`),
      { ...context, cause: error },
    );
  }

  // Registries and proxies sometimes echo a request back; a credential must not reach a log that way.
  #redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

function networkReason(error: unknown): string {
  // Node's fetch says "fetch failed" and keeps what happened (ECONNREFUSED …) in the cause. Fields are
  // read without instanceof: the error may come from another realm (a VM context, a worker).
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  const detail =
    property(cause, 'code') ?? property(cause, 'message') ?? property(error, 'message') ?? String(error);
  return `failed: ${detail}`;
}

function property(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

function parseAnswer(text: string, label: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SchemaWireError(
      ErrorCode.RegistryError,
      `cannot read registry answer: ${label} answered ${describeValue(text)}, which is not JSON`,
    );
  }
}

function errorAnswer(text: string): { errorCode: number | undefined; message: string | undefined } {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { error_code: errorCode, message } = body as Record<string, unknown>;
      return {
        errorCode: typeof errorCode === 'number' ? errorCode : undefined,
        message: typeof message === 'string' ? shorten(message) : undefined,
      };
    }
  } catch {
    // A proxy's HTML page or plain text: only the status says what happened.
  }
  return { errorCode: undefined, message: text === '' ? undefined : shorten(text) };
}

// Confluent leaves out schemaType for AVRO, and references when there are none, so registries that
// predate either field accept the body too.
function schemaBody(schema: Schema): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: schema.schema };
  if (schema.schemaType !== 'AVRO') body['schemaType'] = schema.schemaType;
  if (schema.references !== undefined && schema.references.length > 0) body['references'] = schema.references;
  return body;
}

function subjectVersionAnswer(answer: unknown, what: string): RegisteredSchema {
  const fields = record(answer, what);
  if (typeof fields['subject'] !== 'string') throw badAnswer(what, 'it has no subject');
  return {
    ...schemaAnswer(fields, what),
    id: integer(fields['id'], 'id', what),
    subject: fields['subject'],
    ...optionalFields(fields, what),
  };
}

function schemaAnswer(
  fields: Record<string, unknown>,
  what: string,
): Schema & { references: SchemaReference[] } {
  const { schema, schemaType = 'AVRO', references = [] } = fields;
  if (typeof schema !== 'string') throw badAnswer(what, 'it has no schema text');
  if (typeof schemaType !== 'string' || !SCHEMA_TYPES.includes(schemaType)) {
    throw badAnswer(what, `schema type ${describeValue(schemaType)} is unknown`);
  }
  if (!Array.isArray(references)) throw badAnswer(what, 'its references are not a list');
  return {
    schema,
    schemaType: schemaType as SchemaType,
    references: references.map((entry: unknown) => {
      const ref = record(entry, what);
      if (typeof ref['name'] !== 'string' || typeof ref['subject'] !== 'string') {
        throw badAnswer(what, `reference ${describeValue(entry)} lacks a name or subject`);
      }
      return {
        name: ref['name'],
        subject: ref['subject'],
        version: integer(ref['version'], 'version', what),
      };
    }),
  };
}

// The identifiers an answer may add: version, guid, and a subject where the request named none.
function optionalFields(fields: Record<string, unknown>, what: string): { version?: number; guid?: string } {
  return {
    ...(fields['version'] === undefined ? {} : { version: integer(fields['version'], 'version', what) }),
    ...(typeof fields['guid'] === 'string' ? { guid: fields['guid'] } : {}),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badAnswer(what, 'it is not an object');
  }
  return value as Record<string, unknown>;
}

function integer(value: unknown, name: string, what: string): number {
  if (!Number.isSafeInteger(value))
    throw badAnswer(what, `${name} ${describeValue(value)} is not an integer`);
  return value as number;
}

function integers(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw badAnswer(what, 'it is not a list');
  return value.map((entry: unknown) => integer(entry, 'version', what));
}

function badAnswer(what: string, detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.RegistryError, `cannot read registry answer for ${what}: ${detail}`);
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot create registry client: ${name} must be a positive number, not ${describeValue(value)}`,
    );
  }
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot create registry client: ${name} must be a number of at least 0, not ${describeValue(value)}`,
    );
  }
  return value;
}

function count(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot create registry client: ${name} must be a whole number of at least 0, not ${describeValue(value)}`,
    );
  }
  return value;
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
