import { stringifyJsonExactly } from './exact-json.js';

/** Stable string codes of every error schemawire throws; check errors by these, not by class identity. */
export const ErrorCode = {
  UnknownMagicByte: 'SCHEMAWIRE_UNKNOWN_MAGIC_BYTE',
  InvalidPayload: 'SCHEMAWIRE_INVALID_PAYLOAD',
  SchemaIdNotFound: 'SCHEMAWIRE_SCHEMA_ID_NOT_FOUND',
  SchemaNotFound: 'SCHEMAWIRE_SCHEMA_NOT_FOUND',
  SubjectNotFound: 'SCHEMAWIRE_SUBJECT_NOT_FOUND',
  VersionNotFound: 'SCHEMAWIRE_VERSION_NOT_FOUND',
  IncompatibleSchema: 'SCHEMAWIRE_INCOMPATIBLE_SCHEMA',
  InvalidSchema: 'SCHEMAWIRE_INVALID_SCHEMA',
  InvalidRequest: 'SCHEMAWIRE_INVALID_REQUEST',
  RegistryUnavailable: 'SCHEMAWIRE_REGISTRY_UNAVAILABLE',
  RegistryUnauthorized: 'SCHEMAWIRE_REGISTRY_UNAUTHORIZED',
  RegistryError: 'SCHEMAWIRE_REGISTRY_ERROR',
  SerializationFailed: 'SCHEMAWIRE_SERIALIZATION_FAILED',
  DeserializationFailed: 'SCHEMAWIRE_DESERIALIZATION_FAILED',
  UnsupportedSchemaType: 'SCHEMAWIRE_UNSUPPORTED_SCHEMA_TYPE',
  Unsupported: 'SCHEMAWIRE_UNSUPPORTED',
  NotCached: 'SCHEMAWIRE_NOT_CACHED',
  Config: 'SCHEMAWIRE_CONFIG',
  /** The Kafka client failed: connecting, sending, the consumer group. */
  Kafka: 'SCHEMAWIRE_KAFKA',
  /** Messages the brokers did not acknowledge within the delivery timeout: they may not be on the topic. */
  NotDelivered: 'SCHEMAWIRE_NOT_DELIVERED',
} as const;

/** One of the stable error codes in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where an error happened, as far as it is known. */
export interface ErrorContext {
  readonly topic?: string | undefined;
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;
  readonly schemaId?: number | undefined;
  readonly subject?: string | undefined;
  readonly version?: number | undefined;
  /** The `error_code` a schema registry answered with, when the error came from one. */
  readonly registryErrorCode?: number | undefined;
  /** The HTTP status a schema registry answered with, when the error came from one. */
  readonly httpStatus?: number | undefined;
}

/** Options of every schemawire error. */
export interface SchemaWireErrorOptions extends ErrorContext {
  readonly cause?: unknown;
  /** Whether the same call may succeed later (registry down, timeout); defaults per code. */
  readonly retriable?: boolean;
}

const RETRIABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([ErrorCode.RegistryUnavailable]);

/** The base class of every error schemawire throws. */
export class SchemaWireError extends Error {
  override readonly name: string = 'SchemaWireError';
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly schemaId: number | undefined;
  readonly subject: string | undefined;
  readonly version: number | undefined;
  readonly registryErrorCode: number | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: ErrorCode, message: string, options: SchemaWireErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? RETRIABLE_BY_DEFAULT.has(code);
    this.topic = options.topic;
    this.partition = options.partition;
    this.offset = options.offset;
    this.schemaId = options.schemaId;
    this.subject = options.subject;
    this.version = options.version;
    this.registryErrorCode = options.registryErrorCode;
    this.httpStatus = options.httpStatus;
  }

  /** The same error with more context (topic, offset …) filled in where it was unknown. */
  withContext(context: ErrorContext): SchemaWireError {
    const merged = new SchemaWireError(this.code, this.message, {
      ...pickDefined(context),
      ...pickDefined(this),
      cause: this.cause,
      retriable: this.retriable,
    });
    if (this.stack !== undefined) merged.stack = this.stack;
    return merged;
  }
}

function pickDefined(context: ErrorContext): ErrorContext {
  const out: Record<string, unknown> = {};
  for (const key of [
    'topic',
    'partition',
    'offset',
    'schemaId',
    'subject',
    'version',
    'registryErrorCode',
    'httpStatus',
  ] as const) {
    if (context[key] !== undefined) out[key] = context[key];
  }
  return out as ErrorContext;
}

/**
 * True when `error` is a schemawire error (of `code`, when given). Works across two copies of the
 * package, where `instanceof` does not.
 */
export function isSchemaWireError(error: unknown, code?: ErrorCode): error is SchemaWireError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; retriable?: unknown };
  if (typeof candidate.code !== 'string' || !candidate.code.startsWith('SCHEMAWIRE_')) return false;
  if (typeof candidate.retriable !== 'boolean') return false;
  return code === undefined || candidate.code === code;
}

/**
 * The one table from a schema registry's `error_code` (Confluent API, also used by Karapace, Redpanda
 * and Apicurio's ccompat API) to a schemawire code.
 */
const REGISTRY_ERROR_CODES: ReadonlyMap<number, ErrorCode> = new Map([
  [40401, ErrorCode.SubjectNotFound],
  [40402, ErrorCode.VersionNotFound],
  [40403, ErrorCode.SchemaNotFound],
  [40404, ErrorCode.SubjectNotFound], // subject was soft-deleted
  [40405, ErrorCode.InvalidRequest], // subject not soft-deleted before a permanent delete
  [40406, ErrorCode.VersionNotFound], // version was soft-deleted
  [40407, ErrorCode.InvalidRequest], // version not soft-deleted before a permanent delete
  [40408, ErrorCode.SubjectNotFound], // subject has no compatibility level of its own
  [409, ErrorCode.IncompatibleSchema],
  [42201, ErrorCode.InvalidSchema],
  [42202, ErrorCode.InvalidRequest], // invalid version
  [42203, ErrorCode.InvalidRequest], // invalid compatibility level
  [42204, ErrorCode.InvalidRequest], // invalid mode
  [42205, ErrorCode.InvalidRequest], // operation not permitted
  [42206, ErrorCode.InvalidRequest], // reference exists
  [50001, ErrorCode.RegistryError], // backend store error
  [50002, ErrorCode.RegistryUnavailable], // operation timed out
  [50003, ErrorCode.RegistryUnavailable], // error forwarding to the leader
]);

/** The reverse of the table, for a registry that must answer in `error_code`s (the REST facade). */
const CODE_TO_REGISTRY_ERROR: ReadonlyMap<ErrorCode, number> = new Map([
  [ErrorCode.SubjectNotFound, 40401],
  [ErrorCode.VersionNotFound, 40402],
  [ErrorCode.SchemaNotFound, 40403],
  [ErrorCode.IncompatibleSchema, 409],
  [ErrorCode.InvalidSchema, 42201],
  [ErrorCode.InvalidRequest, 42202],
  [ErrorCode.RegistryUnauthorized, 40101],
  [ErrorCode.RegistryUnavailable, 50002],
]);

/** Maps a registry's `error_code` (and HTTP status when the body had none) to a typed error. */
export function registryError(
  errorCode: number | undefined,
  httpStatus: number | undefined,
  detail: string,
  context: Omit<SchemaWireErrorOptions, 'registryErrorCode' | 'httpStatus'> = {},
): SchemaWireError {
  const code = codeForRegistryAnswer(errorCode, httpStatus);
  return new SchemaWireError(code, `cannot complete registry request: ${detail}`, {
    ...context,
    ...(errorCode === undefined ? {} : { registryErrorCode: errorCode }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

function codeForRegistryAnswer(errorCode: number | undefined, httpStatus: number | undefined): ErrorCode {
  const mapped = errorCode === undefined ? undefined : REGISTRY_ERROR_CODES.get(errorCode);
  if (mapped) return mapped;
  if (httpStatus === 401 || httpStatus === 403) return ErrorCode.RegistryUnauthorized;
  if (httpStatus === 408 || httpStatus === 429 || (httpStatus !== undefined && httpStatus >= 500)) {
    return ErrorCode.RegistryUnavailable;
  }
  if (httpStatus === 404) return ErrorCode.SchemaNotFound;
  if (httpStatus === 409) return ErrorCode.IncompatibleSchema;
  if (httpStatus === 422) return ErrorCode.InvalidRequest;
  return ErrorCode.RegistryError;
}

/**
 * The registry `error_code` and HTTP status that stand for a schemawire error, for code that answers
 * in the Confluent REST protocol.
 */
export function registryAnswerFor(error: SchemaWireError): { errorCode: number; httpStatus: number } {
  const errorCode = error.registryErrorCode ?? CODE_TO_REGISTRY_ERROR.get(error.code) ?? 50001;
  // A Confluent error_code starts with its HTTP status (40403 is a 404, 40101 a 401); 409 stands alone.
  const status = errorCode < 1000 ? errorCode : Math.floor(errorCode / 100);
  return { errorCode, httpStatus: status >= 400 && status < 600 ? status : 500 };
}

/**
 * Adds context (topic, offset, schema id …) to an error from a codec or registry, or wraps a foreign
 * error in a schemawire error of `code` whose message starts with `action`.
 */
export function wrapError(
  error: unknown,
  code: ErrorCode,
  action: string,
  context: ErrorContext,
): SchemaWireError {
  const defined = pickDefined(context);
  if (error instanceof SchemaWireError) return error.withContext(defined);
  const detail = error instanceof Error ? error.message : String(error);
  return new SchemaWireError(code, `${action}: ${detail}`, { ...defined, cause: error });
}

/**
 * `text` with its control characters written as `\uXXXX` escapes, as JSON writes them: for a message
 * that quotes payload text (a parser's excerpt), which may hold any bytes and must not drive the
 * terminal or log viewer that shows it.
 */
export function escapeControlCharacters(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isControlCharacter(code)) continue;
    out += `${text.slice(copied, i)}\\u${code.toString(16).padStart(4, '0')}`;
    copied = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// What a terminal acts on rather than shows: C0 and C1 controls, DEL, the line and paragraph
// separators, and the bidirectional embeddings, overrides and isolates that reorder what follows.
function isControlCharacter(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** JSON text of a value for an error message, shortened so a huge payload does not flood a log. */
export function describeValue(value: unknown, max = 80): string {
  let text: string;
  try {
    text =
      typeof value === 'bigint'
        ? `${value}n`
        : value instanceof Uint8Array
          ? `<${value.length} bytes>`
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * `JSON.stringify(value)` with bigints as numbers of all their digits, or
 * SCHEMAWIRE_SERIALIZATION_FAILED (`${action}: …`) for a value with no JSON text: a value that
 * contains itself, `undefined`, a function.
 */
export function jsonText(value: unknown, action: string): string {
  let text: string | undefined;
  try {
    try {
      text = JSON.stringify(value);
    } catch (error) {
      // Only a value that holds bigints pays for printing them, as JSON numbers with all their digits.
      if (!(error instanceof TypeError && /bigint/i.test(error.message))) throw error;
      text = stringifyJsonExactly(value);
    }
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `${action}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new SchemaWireError(
      ErrorCode.SerializationFailed,
      `${action}: ${describeValue(value)} has no json form`,
    );
  }
  return text;
}
