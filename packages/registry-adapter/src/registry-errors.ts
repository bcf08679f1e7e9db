import { registryError, type SchemaWireError } from '@schemawire/core-client';
import { messageOf } from './error-text.js';

// The Confluent error codes the embedded registry answers with.
/** No such subject. */
export const SUBJECT_NOT_FOUND = 40401;
/** No such version of the subject. */
export const VERSION_NOT_FOUND = 40402;
/** No such schema. */
export const SCHEMA_NOT_FOUND = 40403;
/** The subject was soft-deleted already. */
export const SUBJECT_SOFT_DELETED = 40404;
/** A permanent delete of a subject that was not soft-deleted first. */
export const SUBJECT_NOT_SOFT_DELETED = 40405;
/** The version was soft-deleted already. */
export const VERSION_SOFT_DELETED = 40406;
/** A permanent delete of a version that was not soft-deleted first. */
export const VERSION_NOT_SOFT_DELETED = 40407;
/** The schema breaks the subject's compatibility level. */
export const INCOMPATIBLE_SCHEMA = 409;
/** The subject's format rejects the schema. */
export const INVALID_SCHEMA = 42201;
/** No such compatibility level. */
export const INVALID_COMPATIBILITY_LEVEL = 42203;
/** Another schema references the version. */
export const REFERENCE_EXISTS = 42206;

/** 42201: `cause` is why the schema is not valid for `subject`. */
export function invalidSchema(subject: string, cause: unknown): SchemaWireError {
  return registryError(
    INVALID_SCHEMA,
    undefined,
    `invalid schema for subject ${JSON.stringify(subject)}: ${messageOf(cause)}`,
    { subject, cause },
  );
}

/** 40401 for `subject`. */
export function subjectNotFound(subject: string): SchemaWireError {
  return registryError(SUBJECT_NOT_FOUND, undefined, `subject ${JSON.stringify(subject)} not found`, {
    subject,
  });
}

/** 40402 for `version` of `subject`. */
export function versionNotFound(subject: string, version: number | 'latest'): SchemaWireError {
  return registryError(
    VERSION_NOT_FOUND,
    undefined,
    `version ${JSON.stringify(version)} of subject ${JSON.stringify(subject)} not found`,
    { subject, ...(typeof version === 'number' ? { version } : {}) },
  );
}

/** 40403, naming the schema id when there is one. */
export function schemaNotFound(detail: string, schemaId?: number): SchemaWireError {
  return registryError(SCHEMA_NOT_FOUND, undefined, detail, schemaId === undefined ? {} : { schemaId });
}
