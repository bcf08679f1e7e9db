import type { SchemaRegistryClient } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

/**
 * The registry of a run that names none because it reads, or writes, only bare values with schema
 * files: every call fails, saying a registry is needed after all (for a payload that carries a
 * schema id, or a schema file with references).
 */
export function noRegistry(action: string): SchemaRegistryClient {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new SchemaWireError(
        ErrorCode.Config,
        `${action}: a schema registry is needed (a payload carries a schema id, or a schema has references) and none is named: --registry, SCHEMA_REGISTRY_URL or --registry-dir`,
      ),
    );
  return {
    register: refuse,
    lookup: refuse,
    getSchema: refuse,
    getVersion: refuse,
    listVersions: refuse,
    listSubjects: refuse,
    getSubjectVersionsOfId: refuse,
    testCompatibility: refuse,
    getCompatibility: refuse,
    setCompatibility: refuse,
    deleteSubject: refuse,
    deleteVersion: refuse,
  };
}
