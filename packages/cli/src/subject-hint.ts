import type { SchemaRegistryClient } from '@schemawire/core-client';
import { ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import { didYouMean } from './did-you-mean.js';

/**
 * `action`'s result; when it fails because `subject` is not there and a subject of a similar name is,
 * the same error naming that one (`"users"` when `"user"` exists), as a misspelt subject is the usual
 * reason.
 */
export async function withSubjectHint<T>(
  registry: SchemaRegistryClient,
  subject: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isSchemaWireError(error, ErrorCode.SubjectNotFound)) throw error;
    let subjects: string[];
    try {
      subjects = await registry.listSubjects();
    } catch {
      throw error;
    }
    const hint = didYouMean(subject, subjects);
    if (hint === '') throw error;
    throw new SchemaWireError(error.code, `${error.message}${hint}`, {
      ...error,
      subject,
      cause: error,
      retriable: false,
    });
  }
}
