import type { SchemaId } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';

/*
 * Checks of the arguments of the REST clients' public methods. Plain JavaScript may call them with
 * anything, and a malformed argument would otherwise become a request for `/schemas/ids/undefined` or
 * an answer of undefined: it is SCHEMAWIRE_CONFIG, before any request goes out. Each check takes the
 * action that fails (`cannot get schema`) and returns the argument with its type.
 */

/** `subject` when it is a non-empty string. */
export function checkSubject(action: string, subject: unknown): string {
  if (typeof subject !== 'string' || subject === '') {
    throw malformed(action, `the subject must be a non-empty string, not ${shown(subject)}`);
  }
  return subject;
}

/** `subject` when it is undefined (the global scope) or a non-empty string. */
export function checkOptionalSubject(action: string, subject: unknown): string | undefined {
  return subject === undefined ? undefined : checkSubject(action, subject);
}

/** `id` when it is a numeric schema id: a safe integer from 0. */
export function checkId(action: string, id: unknown, name = 'id'): number {
  if (!Number.isSafeInteger(id) || (id as number) < 0) {
    throw malformed(action, `the ${name} must be a whole number from 0, not ${shown(id)}`);
  }
  return id as number;
}

/** `version` when it is a version number from 1, or `"latest"` where `latest` allows it. */
export function checkVersion(action: string, version: unknown, latest: true): number | 'latest';
export function checkVersion(action: string, version: unknown, latest: false): number;
export function checkVersion(action: string, version: unknown, latest: boolean): number | 'latest' {
  if (latest && version === 'latest') return version;
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    const allowed = latest ? 'a whole number from 1 or "latest"' : 'a whole number from 1';
    throw malformed(action, `the version must be ${allowed}, not ${shown(version)}`);
  }
  return version as number;
}

/** `id` when it is a {@link SchemaId} of a known kind with a well-formed value. */
export function checkSchemaId(action: string, id: unknown): SchemaId {
  const fields = typeof id === 'object' && id !== null ? (id as Record<string, unknown>) : {};
  switch (fields['kind']) {
    case 'id':
    case 'contentId':
    case 'globalId': {
      const kind = fields['kind'];
      checkId(action, fields[kind], kind);
      return id as SchemaId;
    }
    case 'guid':
      if (typeof fields['guid'] !== 'string' || fields['guid'] === '') {
        throw malformed(action, `the guid must be a non-empty string, not ${shown(fields['guid'])}`);
      }
      return id as SchemaId;
    default:
      throw malformed(action, `the id must be a schema id such as {"kind":"id","id":1}, not ${shown(id)}`);
  }
}

function malformed(action: string, detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.Config, `${action}: ${detail}`);
}

// JSON text, but numbers as JavaScript writes them: JSON has no NaN or Infinity and would say null.
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}
