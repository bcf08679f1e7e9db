import type { ErrorContext } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError, tlsCertificateProblem } from '@schemawire/core-client';

/**
 * A failure of the Kafka client (connect, send, the consumer group) as a SCHEMAWIRE_KAFKA error: the
 * message says what could not be done and why, the cause is kafkajs's error, and it is retriable
 * when kafkajs says so, unless it is a {@link connectRefusal}, which no retry cures.
 */
export function kafkaError(action: string, error: unknown, context: ErrorContext = {}): SchemaWireError {
  const detail = error instanceof Error ? error.message : String(error);
  const retriable =
    typeof error === 'object' &&
    error !== null &&
    (error as { retriable?: unknown }).retriable === true &&
    connectRefusal(error) === undefined;
  return new SchemaWireError(ErrorCode.Kafka, `${action}: ${detail}`, {
    ...context,
    cause: error,
    retriable,
  });
}

/** Why a broker would not let a client in, whatever retries kafkajs wrapped it in. */
export type ConnectRefusal =
  | { readonly kind: 'authentication'; readonly message: string }
  | { readonly kind: 'tls'; readonly message: string; readonly code: string; readonly broker?: string };

/**
 * The authentication or TLS failure behind `error`, looked for through the causes kafkajs wraps its
 * retried errors in; undefined for any other error. Such a failure means the client's settings are
 * wrong, so trying again only delays the answer.
 */
export function connectRefusal(error: unknown): ConnectRefusal | undefined {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === 'object' && current !== null && !seen.has(current); ) {
    seen.add(current);
    const { name, code, message, broker } = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      broker?: unknown;
    };
    const text = typeof message === 'string' ? message : '';
    if (name === 'KafkaJSSASLAuthenticationError') return { kind: 'authentication', message: text };
    // A certificate Node refused, or a handshake that failed: each fails the same way on every
    // attempt. EPROTO is TLS spoken to a port that does not speak it.
    if (
      typeof code === 'string' &&
      (tlsCertificateProblem(code) !== undefined || code === 'EPROTO' || code.startsWith('ERR_SSL_'))
    ) {
      return {
        kind: 'tls',
        message: text,
        code,
        ...(typeof broker === 'string' ? { broker } : {}),
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
