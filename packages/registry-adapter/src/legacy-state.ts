import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CompatibilityLevel } from '@schemawire/core-client';
import { ErrorCode, isCompatibilityLevel, SchemaWireError } from '@schemawire/core-client';
import { messageOf } from './error-text.js';
import type { StoredSchema, StoredSubject } from './registry-records.js';

// The JSON state file earlier releases kept the embedded registry in, read once to import it.
const LEGACY_STATE_FILE = 'registry.json';

// The name the state file gets once its content is in the database, so nobody takes it for live.
const IMPORTED_STATE_FILE = `${LEGACY_STATE_FILE}.imported`;

/** What a legacy state file holds: the id counters, the global level, the schemas and the subjects. */
export interface LegacyState {
  readonly nextId: number;
  readonly nextGlobalId: number;
  readonly compatibility: CompatibilityLevel | undefined;
  readonly schemas: readonly StoredSchema[];
  readonly subjects: readonly StoredSubject[];
}

const STATE_FORMAT = 1;

// Reads the text of a legacy state file (format 1); `source` names the file in errors.
function parseLegacyState(text: string, source: string): LegacyState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(source, 'it is not JSON', error);
  }
  if (!isRecord(data) || data['format'] !== STATE_FORMAT) {
    throw corrupt(source, `it is not a registry state of format ${STATE_FORMAT}`);
  }
  const { nextId, nextGlobalId, compatibility, schemas, subjects } = data;
  if (
    typeof nextId !== 'number' ||
    typeof nextGlobalId !== 'number' ||
    !Array.isArray(schemas) ||
    !Array.isArray(subjects) ||
    (compatibility !== undefined && !isCompatibilityLevel(compatibility))
  ) {
    throw corrupt(source, 'a field is missing or has the wrong type');
  }
  // Only earlier releases of this registry wrote the file; its entries are trusted once the envelope
  // checks out, as they were when those releases read it back.
  return {
    nextId,
    nextGlobalId,
    compatibility,
    schemas: schemas as StoredSchema[],
    subjects: subjects as StoredSubject[],
  };
}

/** The legacy state file of folder `dir`, when it has one. */
export function readLegacyState(dir: string): LegacyState | undefined {
  const path = join(dir, LEGACY_STATE_FILE);
  refuseLiveLegacyWriter(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new SchemaWireError(
      ErrorCode.RegistryError,
      `cannot read registry state: ${JSON.stringify(path)}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return parseLegacyState(text, path);
}

/**
 * Renames the state file of folder `dir` once imported, so nobody takes it for the live registry, and
 * removes the lock and temp files its writers left when killed, since nothing reads them any more.
 */
export function retireLegacyFiles(dir: string): void {
  try {
    renameSync(join(dir, LEGACY_STATE_FILE), join(dir, IMPORTED_STATE_FILE));
    for (const name of readdirSync(dir)) {
      if (
        name === `${LEGACY_STATE_FILE}.lock` ||
        (name.startsWith(`.${LEGACY_STATE_FILE}.`) && name.endsWith('.tmp'))
      ) {
        rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    // Tidying only: the import is recorded in the database, which never reads these files again.
  }
}

/** An earlier release's writers took their lock as stale after this long. */
const LEGACY_STALE_LOCK_MS = 30_000;

// A lock file younger than an earlier release took for stale means one of its processes may be writing
// the file right now, and would go on handing out ids of its own beside the database's.
function refuseLiveLegacyWriter(dir: string): void {
  let modified: number;
  try {
    modified = statSync(join(dir, `${LEGACY_STATE_FILE}.lock`)).mtimeMs;
  } catch {
    return;
  }
  if (Date.now() - modified >= LEGACY_STALE_LOCK_MS) return;
  throw new SchemaWireError(
    ErrorCode.RegistryUnavailable,
    `cannot import registry state: ${JSON.stringify(join(dir, LEGACY_STATE_FILE))} is locked by a process of an earlier release; stop it, or wait ${LEGACY_STALE_LOCK_MS / 1000} s if it died`,
  );
}

function corrupt(source: string, detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.RegistryError,
    `cannot read registry state: ${JSON.stringify(source)}: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
