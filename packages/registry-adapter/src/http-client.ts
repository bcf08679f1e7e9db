import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorContext } from '@schemawire/core-client';
import { describeValue, ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import type { Agent } from 'undici';
import { fetch as undiciFetch } from 'undici';
import { messageOf } from './error-text.js';
import type { RegistryTls } from './registry-tls.js';
import { tlsDispatcher, tlsProblem } from './registry-tls.js';

/**
 * Credentials of a registry: HTTP Basic, a bearer token, or a function that gives a fresh bearer token
 * for each request (for tokens that expire).
 */
export type RegistryAuth =
  | { readonly username: string; readonly password: string }
  | { readonly token: string | (() => string | Promise<string>) };

/** Options every REST registry client takes. */
export interface RestClientOptions {
  /** The registry's URL; user info in it (`http://user:password@host`) becomes Basic auth. */
  readonly baseUrl: string;
  /** Credentials; they win over user info in `baseUrl`. */
  readonly auth?: RegistryAuth;
  /** CAs to trust and a client certificate, for a registry behind a private CA or asking for mTLS. */
  readonly tls?: RegistryTls;
  /** Time allowed for one request, answer included; default 10000 ms. */
  readonly timeoutMs?: number;
  /** Retries after a network error (not a refused certificate), timeout, 408, 429 or 5xx answer; default 3. */
  readonly retries?: number;
  /** The first retry waits about this long, each next one twice as long; default 100 ms. */
  readonly retryBackoffMs?: number;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use; default the global one (undici's with `tls`). With `tls`, its init has an undici `dispatcher`. */
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
// More than the requests of one client that run at once in practice.
const RECENT_TOKENS = 16;

/**
 * The HTTP plumbing the REST registry clients share: the base URL without user info, auth headers,
 * a timeout per request, and retries with jittered exponential backoff after network errors, timeouts,
 * 408, 429 and 5xx answers (never another 4xx, which would fail again the same way, nor a refused
 * TLS handshake). TLS options go to an undici dispatcher of this client alone. Credentials never
 * reach an error message.
 */
export class RegistryHttpClient {
  /** The registry URL without user info, query or trailing slash, safe to print. */
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly string[];
  /** The last tokens auth.token's function gave, hidden in messages as long as a request may use them. */
  readonly #recentTokens: string[] = [];
  readonly #token: (() => string | Promise<string>) | undefined;
  /** Who the credentials are, for a refusal: never the password or token. */
  readonly #who: string;
  readonly #dispatcher: Agent | undefined;
  readonly #clientCertificate: boolean;
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
    this.#headers = { accept, ...lowerCaseKeys(options.headers ?? {}) };
    this.#dispatcher = tlsDispatcher(options.tls);
    // undici's own fetch with its own Agent: Node's built-in fetch may bundle another undici (Node 22
    // has 6), and it hides the codes of errors from a dispatcher of another realm, which say what failed.
    this.#fetch = options.fetch ?? (this.#dispatcher === undefined ? fetch : (undiciFetch as typeof fetch));
    this.#clientCertificate = options.tls?.cert !== undefined;
    const secrets: string[] = [];
    this.#token = undefined;
    this.#who = 'without credentials';
    if (auth !== undefined) {
      if ('token' in auth && typeof auth.token === 'function') {
        this.#token = auth.token;
        this.#who = 'with the bearer token of auth.token';
      } else if ('token' in auth) {
        const token = auth.token as string;
        this.#headers['authorization'] = `Bearer ${token}`;
        secrets.push(token);
        this.#who = 'with a bearer token';
      } else {
        const basic = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
        this.#headers['authorization'] = `Basic ${basic}`;
        secrets.push(auth.password, basic);
        this.#who = `as user ${JSON.stringify(auth.username)}`;
      }
    }
    if (typeof options.tls?.passphrase === 'string') secrets.push(options.tls.passphrase);
    this.#secrets = secrets.filter((secret) => secret.length > 0);
  }

  /**
   * What a 401 or 403 answer means for these credentials, to end the message of its error: who was
   * refused (the user, never the password) and what to give. Empty for other statuses.
   */
  refusal(status: number): string {
    if (status !== 401 && status !== 403) return '';
    const what =
      status === 401 ? 'the registry did not accept the credentials' : 'the registry refused access';
    const fix =
      this.#who === 'without credentials'
        ? ': give --registry-auth USER:PASS or --registry-token TOKEN (auth)'
        : '';
    return `; ${what}, sent ${this.#who}${fix}`;
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
    const headers: Record<string, string> =
      request.body === undefined
        ? { ...this.#headers }
        : { ...this.#headers, 'content-type': request.contentType ?? 'application/json' };
    const send = this.#fetch;
    const https = this.baseUrl.startsWith('https:');
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#retries;
      let response: Response;
      let text: string;
      try {
        if (this.#token !== undefined) headers['authorization'] = `Bearer ${await this.#freshToken()}`;
        response = await send(`${this.baseUrl}${target}`, {
          method: request.method,
          headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: AbortSignal.timeout(this.#timeoutMs),
          // Node's fetch takes undici's dispatcher option, which the DOM's RequestInit does not know.
          ...(this.#dispatcher === undefined
            ? {}
            : ({ dispatcher: this.#dispatcher } as unknown as RequestInit)),
        });
        text = await response.text();
      } catch (error) {
        if (isSchemaWireError(error)) throw error;
        // A handshake refused now is refused on every try: only a change of configuration helps.
        const certificate = tlsProblem(error, https, this.#clientCertificate);
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

  // The token of auth.token's function for one request, remembered so that messages can hide it.
  async #freshToken(): Promise<string> {
    let token: unknown;
    try {
      token = await this.#token!();
    } catch (error) {
      throw new SchemaWireError(
        ErrorCode.RegistryUnauthorized,
        this.redact(`cannot get registry token: auth.token failed: ${messageOf(error)}`),
        { cause: error, retriable: false },
      );
    }
    if (typeof token !== 'string' || token === '') {
      throw new SchemaWireError(
        ErrorCode.RegistryUnauthorized,
        `cannot get registry token: auth.token gave ${typeof token === 'string' ? 'an empty string' : typeof token}, not a token`,
        { retriable: false },
      );
    }
    // Bounded, so that a process sending for days does not keep every token it was ever given.
    if (!this.#recentTokens.includes(token)) this.#recentTokens.push(token);
    if (this.#recentTokens.length > RECENT_TOKENS) this.#recentTokens.shift();
    return token;
  }

  /** `text` with every credential of this client replaced by `***`. */
  redact(text: string): string {
    // Registries and proxies sometimes echo a request back; a credential must not reach a log that way.
    let out = text;
    for (const secret of [...this.#secrets, ...this.#recentTokens]) out = out.split(secret).join('***');
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
