import type { SchemaWireError } from '@schemawire/core-client';

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<SchemaWireError> {
  try {
    await promise;
  } catch (error) {
    return error as SchemaWireError;
  }
  throw new Error('expected a rejection');
}
