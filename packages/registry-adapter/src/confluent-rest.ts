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
  SchemaType,
  SubjectVersion,
} from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  isCompatibilityLevel,
  isSchemaWireError,
  noVersionsYet,
  registryError,
  SchemaWireError,
} from '@schemawire/core-client';
import { checkId, checkOptionalSubject, checkSchemaId, checkSubject, checkVersion } from './arguments.js';
import type { HttpRequest, RegistryAuth, RestClientOptions } from './http-client.js';
import { badAnswer, integer, parseAnswer, RegistryHttpClient, record, shorten } from './http-client.js';

/** Credentials of a registry: HTTP Basic, or a bearer token. */
export type ConfluentRestAuth = RegistryAuth;

/** Options of a {@link ConfluentRestClient}. */
export type ConfluentRestClientOptions = RestClientOptions;

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';
const SCHEMA_TYPES: readonly string[] = ['AVRO', 'PROTOBUF', 'JSON'];

// A request whose body is a JSON value, sent with the Confluent content type.
type Request = Omit<HttpRequest, 'body' | 'contentType'> & { readonly body?: unknown };

/**
 * A client of the Confluent Schema Registry REST API, which Karapace, Redpanda and Apicurio (under
 * `/apis/ccompat/v7`) speak too. It only sends what each call asks for: `register` posts the schema and
 * never touches the subject's compatibility config.
 */
export class ConfluentRestClient implements SchemaRegistryClient {
  /** The registry URL without user info, safe to print. */
  readonly baseUrl: string;
  readonly #http: RegistryHttpClient;

  constructor(options: ConfluentRestClientOptions) {
    this.#http = new RegistryHttpClient(options, ACCEPT);
    this.baseUrl = this.#http.baseUrl;
  }

  /** Posts `schema` to `subject`; the answer's version and guid are kept when the registry sends them. */
  async register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    checkSubject('cannot register schema', subject);
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
    checkSubject('cannot look up schema', subject);
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
    checkSchemaId('cannot get schema', id);
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
    checkSubject('cannot get version', subject);
    checkVersion('cannot get version', version, true);
    const answer = await this.#request({
      method: 'GET',
      path: `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      context: { subject, ...(version === 'latest' ? {} : { version }) },
    });
    return subjectVersionAnswer(answer, `version ${JSON.stringify(version)} of ${JSON.stringify(subject)}`);
  }

  /** The live versions of a subject, oldest first. */
  async listVersions(subject: string): Promise<number[]> {
    checkSubject('cannot list versions', subject);
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
    checkId('cannot get the subjects of schema id', id);
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
    checkSubject('cannot test compatibility', subject);
    checkVersion('cannot test compatibility', version, true);
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
      // Older registries answer "subject not found" where newer ones say a first schema is compatible;
      // Karapace answers that the latest version (-1) is not found.
      if (
        version === 'latest' &&
        (isSchemaWireError(error, ErrorCode.SubjectNotFound) ||
          isSchemaWireError(error, ErrorCode.VersionNotFound))
      ) {
        return noVersionsYet();
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
    checkOptionalSubject('cannot get compatibility', subject);
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
    checkOptionalSubject('cannot set compatibility', subject);
    await this.#request({
      method: 'PUT',
      path: subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`,
      body: { compatibility: level },
      context: subject === undefined ? {} : { subject },
    });
  }

  /** Deletes a subject (soft, or hard with `permanent`); returns the versions deleted. */
  async deleteSubject(subject: string, options: DeleteOptions = {}): Promise<number[]> {
    checkSubject('cannot delete subject', subject);
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
    checkSubject('cannot delete version', subject);
    checkVersion('cannot delete version', version, false);
    const answer = await this.#request({
      method: 'DELETE',
      path: `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      query: options.permanent === true ? { permanent: 'true' } : {},
      context: { subject, version },
    });
    return integer(answer, 'version', `the deletion of version ${version} of ${JSON.stringify(subject)}`);
  }

  // Sends one call (the HTTP client retries what may succeed later) and maps an error answer's
  // error_code through core-client's table.
  async #request(request: Request): Promise<unknown> {
    const { body, ...rest } = request;
    const answer = await this.#http.send(
      body === undefined ? rest : { ...rest, body: JSON.stringify(body), contentType: CONTENT_TYPE },
    );
    if (answer.ok) return parseAnswer(answer);
    const { errorCode, message } = errorAnswer(answer.text);
    const detail = `${answer.label} answered ${answer.status}${message === undefined ? '' : `: ${JSON.stringify(message)}`}${this.#http.refusal(answer.status)}`;
    throw registryError(errorCode, answer.status, this.#http.redact(detail), request.context);
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

function integers(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw badAnswer(what, 'it is not a list');
  return value.map((entry: unknown) => integer(entry, 'version', what));
}
