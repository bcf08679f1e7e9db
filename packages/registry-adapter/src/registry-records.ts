import type { CompatibilityLevel, SchemaReference, SchemaType } from '@schemawire/core-client';

/** One schema content: what a numeric id and its guid stand for, whichever subjects hold it. */
export interface StoredSchema {
  readonly id: number;
  readonly guid: string;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** One version of a subject. */
export interface StoredVersion {
  readonly version: number;
  readonly id: number;
  readonly globalId: number;
  readonly deleted: boolean;
}

/** A subject: its versions, oldest first, and its own compatibility level if it has one. */
export interface StoredSubject {
  readonly name: string;
  readonly compatibility: CompatibilityLevel | undefined;
  readonly versions: readonly StoredVersion[];
}

/** The live versions of a subject, oldest first. */
export function liveVersions(subject: StoredSubject | undefined): StoredVersion[] {
  return subject === undefined ? [] : subject.versions.filter((version) => !version.deleted);
}
