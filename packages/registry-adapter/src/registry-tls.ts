import type { TlsCertificateProblem } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError, tlsCertificateProblem } from '@schemawire/core-client';
import { Agent } from 'undici';

/** PEM text, or its bytes. */
export type Pem = string | Buffer;

/** How a REST registry client checks the registry's certificate and proves who it is. */
export interface RegistryTls {
  /** The CAs that signed the registry's certificate (PEM); they replace the system's for this registry. */
  readonly ca?: Pem | readonly Pem[];
  /** The client certificate (PEM, chain included), for a registry that asks for one. */
  readonly cert?: Pem;
  /** The private key of `cert` (PEM). */
  readonly key?: Pem;
  /** The passphrase of an encrypted `key`. */
  readonly passphrase?: string;
  /** False accepts any certificate: for tests only, as it lets anyone pose as the registry; default true. */
  readonly rejectUnauthorized?: boolean;
}

/**
 * The undici dispatcher that connects with `tls`, for Node's fetch (undici inside): it is the only
 * way to give one request CAs and a client certificate without changing every other connection of
 * the process. Undefined when `tls` sets nothing.
 */
export function tlsDispatcher(tls: RegistryTls | undefined): Agent | undefined {
  if (tls === undefined) return undefined;
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new SchemaWireError(
      ErrorCode.Config,
      'cannot create registry client: tls.cert and tls.key go together, and only one is given',
    );
  }
  const connect = {
    ...(tls.ca === undefined
      ? {}
      : { ca: typeof tls.ca === 'string' || Buffer.isBuffer(tls.ca) ? tls.ca : [...tls.ca] }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
  };
  if (Object.keys(connect).length === 0) return undefined;
  return new Agent({ connect });
}

// What each certificate problem and refused handshake asks of the user. CODE stands for the code,
// NAME for the host.
const PROBLEMS: Readonly<Record<TlsCertificateProblem, string>> = {
  untrusted:
    "the registry's certificate is not trusted (CODE): give the CA that signed it (tls.ca / --registry-ca)",
  'not-valid-now':
    "the registry's certificate is not valid now (CODE): the registry needs a current certificate, or this machine's clock is wrong",
  'wrong-host':
    "the registry's certificate does not name the host NAME of the URL (CODE): use a host name the certificate names",
  refused: "the registry's certificate is refused (CODE)",
};
const CLIENT_CERTIFICATE_WANTED =
  'the registry asked for a client certificate (CODE): give --registry-cert and --registry-key (tls.cert/tls.key)';
const CLIENT_CERTIFICATE_REFUSED =
  'the registry refused the client certificate (CODE): give one signed by a CA the registry trusts (tls.cert / --registry-cert)';
// Alerts of a server that wants a client certificate: TLS 1.3's certificate_required (116), or TLS
// 1.2's handshake_failure (40), which is all a server sends there when none came.
const WANTED_ALERTS: readonly string[] = [
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
];
// Alerts of a server that got a client certificate and does not accept it.
const REFUSED_ALERTS: readonly string[] = [
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
  ...WANTED_ALERTS,
];

/**
 * What is wrong with the TLS handshake when `error` (fetch's, or its cause) is one that every retry
 * would meet again: a refused registry certificate, or a registry that wants another client
 * certificate. `clientCertificate` says whether one was given.
 */
export function tlsProblem(error: unknown, https: boolean, clientCertificate: boolean): string | undefined {
  const cause = field(error, 'cause');
  const code = text(cause, 'code') ?? text(error, 'code');
  if (code === undefined) return undefined;
  const problem = tlsCertificateProblem(code);
  if (problem !== undefined) {
    const known = PROBLEMS[problem];
    const host = text(cause, 'host') ?? text(error, 'host') ?? 'named';
    const names = text(field(cause, 'cert') ?? field(error, 'cert'), 'subjectaltname');
    const message = known.replace('CODE', code).replace('NAME', JSON.stringify(host));
    return names === undefined || !known.includes('NAME') ? message : `${message} (it names ${names})`;
  }
  if (!https) return undefined;
  // In TLS 1.3 the client's handshake ends before the server checks the client's certificate; a
  // server that wants one then closes the connection before answering a single byte (undici says
  // UND_ERR_SOCKET, "other side closed"), often without an alert Node reports.
  const closedUnanswered = code === 'UND_ERR_SOCKET' && field(field(cause, 'socket'), 'bytesRead') === 0;
  if (clientCertificate) {
    return REFUSED_ALERTS.includes(code) || closedUnanswered
      ? CLIENT_CERTIFICATE_REFUSED.replace('CODE', code)
      : undefined;
  }
  return WANTED_ALERTS.includes(code) || closedUnanswered
    ? CLIENT_CERTIFICATE_WANTED.replace('CODE', code)
    : undefined;
}

// Fields are read without instanceof: the error may come from another realm (a VM context, a worker).
function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function text(value: unknown, name: string): string | undefined {
  const found = field(value, name);
  return typeof found === 'string' ? found : undefined;
}
