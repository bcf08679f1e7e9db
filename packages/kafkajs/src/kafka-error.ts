import type { ErrorContext } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

/**
 * A failure of the Kafka client (connect, send, the consumer group) as a SCHEMAWIRE_KAFKA error: the
 * message says what could not be done and why, the cause is kafkajs's error, and it is retriable
 * when kafkajs says so.
 */
export function kafkaError(action: string, error: unknown, context: ErrorContext = {}): SchemaWireError {
  const detail = error instanceof Error ? error.message : String(error);
  const retriable =
    typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
  return new SchemaWireError(ErrorCode.Kafka, `${action}: ${detail}`, {
    ...context,
    cause: error,
    retriable,
  });
}
