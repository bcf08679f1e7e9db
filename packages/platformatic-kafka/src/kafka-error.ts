import { findErrorBy, GenericError } from '@platformatic/kafka';
import type { ErrorContext } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

/**
 * Whether a @platformatic/kafka failure may succeed when tried again. The client marks what cannot
 * (`canRetry: false`, a closed client) somewhere in the chain of its errors, and retries the rest
 * itself a few times before giving up; anything that is not one of its errors is a bug or a bad
 * argument, not worth another try.
 */
export function isRetriablePlatformaticError(error: unknown): boolean {
  if (!(error instanceof Error) || !GenericError.isGenericError(error)) return false;
  return findErrorBy(error, 'canRetry', false) === null;
}

/**
 * A failure of @platformatic/kafka as a SCHEMAWIRE_KAFKA error: the message says what could not be
 * done and why, the cause is the client's error, and it is retriable when the client would retry it.
 */
export function platformaticError(
  action: string,
  error: unknown,
  context: ErrorContext = {},
): SchemaWireError {
  const detail = error instanceof Error ? error.message : String(error);
  return new SchemaWireError(ErrorCode.Kafka, `${action}: ${detail}`, {
    ...context,
    cause: error,
    retriable: isRetriablePlatformaticError(error),
  });
}
