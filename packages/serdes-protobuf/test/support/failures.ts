import type { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { isSchemaWireError } from '@schemawire/core-client';

/** The schemawire error of `code` that `action` throws; fails the test on any other outcome. */
export function failure(action: () => unknown, code: ErrorCode): SchemaWireError {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  if (!isSchemaWireError(error, code)) {
    throw new Error(`expected a ${code} error, got ${error instanceof Error ? error.stack : String(error)}`);
  }
  return error;
}
