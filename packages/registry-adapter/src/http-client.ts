import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorContext } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';

/** Credentials of a registry: HTTP Basic, or a bearer token. */
export type RegistryAuth =
  | { readonly username: string; readonly password: string }
  | { readonly token: string };

/** Options every REST registry client takes. */
export interface RestClientOptions {
  /** The registry's URL; user info in it (`http://user:password@host`) becomes Basic auth. */
  readonly baseUrl: string;
  /** Credentials; they win over user info in `baseUrl`. */
  readonly auth?: RegistryAuth;
  /** Time allowed for one request, answer included; default 10000 ms. */
  readonly timeoutMs?: number;
  /** Retries after a network error (not a refused certificate), timeout, 408, 429 or 5xx answer; default 3. */
  readonly retries?: number;
  /** The first retry waits about this long, each next one twice as long; default 100 ms. */
  readonly retryBackoffMs?: number;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof fetch;
}

/** One call of a registry's REST API. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path below the base URL, its segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** The body, already encoded, sent with `contentType`. */
  readonly body?: string;
  readonly contentType?: string;
  /** Where an error happened (subject, version, schema id), for the errors this call throws. */
  readonly context: ErrorContext;
}

/** The registry's last answer to a request: a success, or an error that another try would not change. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
  /** `METHOD /path`, to name the request in messages without its query or host. */
  readonly label: string;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * The HTTP plumbing the REST registry clients share: the base URL without user info, auth headers,
 * a timeout per request, and retries with jittered exponential backoff after network errors, timeouts,
 * 408, 429 and 5xx answers (never another 4xx, which would fail again the same way, nor a refused
 * certificate). Credentials never
 * reach an error message.
 */
export class RegistryHttpClient {
  /** The registry URL without user info, query or trailing slash, safe to print. */
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly string[];
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryBackoffMs: number;
  readonly #fetch: typeof fetch;

  /** Checks `options`; `accept` is the Accept header of every request unless `options.headers` sets one. */
  constructor(options: RestClientOptions, accept: string) {
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
    this.#headers = { accept, ...lowerCaseKeys(options.headers ?? {}) };
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

  /**
   * Sends `request`, retrying what may succeed later, and returns the last answer, error answers
   * included: what they mean is the registry API's business. SCHEMAWIRE_REGISTRY_UNAVAILABLE when no
   * answer came at all.
   */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const search = new URLSearchParams(request.query ?? {}).toString();
    const target = `${request.path}${search === '' ? '' : `?${search}`}`;
    const label = `${request.method} ${request.path}`;
    const headers =
      request.body === undefined
        ? this.#headers
        : { ...this.#headers, 'content-type': request.contentType ?? 'application/json' };
    const send = this.#fetch;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#retries;
      let response: Response;
      let text: string;
      try {
        response = await send(`${this.baseUrl}${target}`, {
          method: request.method,
          headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        // A certificate refused now is refused on every try: only a change of configuration helps.
        const certificate = certificateProblem(error);
        if (certificate !== undefined) {
          throw new SchemaWireError(
            ErrorCode.RegistryUnavailable,
            this.redact(`cannot connect to registry securely: ${label}: ${certificate}`),
            { ...request.context, cause: error, retriable: false },
          );
        }
        if (last) throw this.#unavailable(label, attempt + 1, error, request.context);
        await this.#backoff(attempt);
        continue;
      }
      const status = response.status;
      if (!response.ok && !last && (status === 408 || status === 429 || status >= 500)) {
        await this.#backoff(attempt);
        continue;
      }
      return { status, ok: response.ok, text, label };
    }
  }

  /** `text` with every credential of this client replaced by `***`. */
  redact(text: string): string {
    // Registries and proxies sometimes echo a request back; a credential must not reach a log that way.
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
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
      this.redact(`cannot reach registry: ${label} ${reason} (${tries})`),
      { ...context, cause: error },
    );
  }
}

/** The JSON of a successful answer (undefined when it is empty); SCHEMAWIRE_REGISTRY_ERROR when it is not JSON. */
export function parseAnswer(answer: HttpAnswer): unknown {
  if (answer.text === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new SchemaWireError(
      ErrorCode.RegistryError,
      `cannot read registry answer: ${answer.label} answered ${describeValue(answer.text)}, which is not JSON`,
    );
  }
}

/** The error for an answer that does not have the shape the API promises. */
export function badAnswer(what: string, detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.RegistryError, `cannot read registry answer for ${what}: ${detail}`);
}

/** `value` as a JSON object, or a {@link badAnswer}. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badAnswer(what, 'it is not an object');
  }
  return value as Record<string, unknown>;
}

/** `value` as a safe integer, or a {@link badAnswer} naming the field. */
export function integer(value: unknown, name: string, what: string): number {
  if (!Number.isSafeInteger(value))
    throw badAnswer(what, `${name} ${describeValue(value)} is not an integer`);
  return value as number;
}

/** The first 300 characters of a registry's text, so a huge error page does not flood a log. */
export function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// The OpenSSL and Node codes of a certificate the client refused, and what each asks of the user.
const UNTRUSTED =
  "the registry's certificate is not trusted (CODE): give the CA that signed it, as a PEM file in NODE_EXTRA_CA_CERTS";
const CERTIFICATE_PROBLEMS: ReadonlyMap<string, string> = new Map([
  ...[
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'INVALID_CA',
  ].map((code) => [code, UNTRUSTED] as const),
  ...['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'].map(
    (code) =>
      [
        code,
        "the registry's certificate is not valid now (CODE): the registry needs a current certificate, or this machine's clock is wrong",
      ] as const,
  ),
  ...['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'].map(
    (code) =>
      [
        code,
        "the registry's certificate is not for the host of the URL (CODE): use a host name the certificate names",
      ] as const,
  ),
  ...['CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED'].map(
    (code) => [code, "the registry's certificate is refused (CODE)"] as const,
  ),
]);

/** What is wrong with the registry's certificate when `error` (fetch's, or its cause) is a refusal of it. */
function certificateProblem(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  const code = property(cause, 'code') ?? property(error, 'code');
  const problem = code === undefined ? undefined : CERTIFICATE_PROBLEMS.get(code);
  return problem?.replace('CODE', code!);
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

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
