import type { CompatibilityLevel, SchemaReference, SchemaType } from '@schemawire/core-client';
import { ErrorCode, isCompatibilityLevel, SchemaWireError } from '@schemawire/core-client';

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
  deleted: boolean;
}

/** A subject: its versions, oldest first, and its own compatibility level if it has one. */
export interface StoredSubject {
  readonly name: string;
  compatibility: CompatibilityLevel | undefined;
  versions: StoredVersion[];
}

const STATE_FORMAT = 1;

/**
 * Everything the embedded registry knows, with the indexes its reads need. Serialized as one JSON
 * document; subjects are an array, not an object, because a subject such as "42" would reorder the keys.
 */
export class RegistryState {
  nextId = 1;
  nextGlobalId = 1;
  compatibility: CompatibilityLevel | undefined;
  readonly schemas = new Map<number, StoredSchema>();
  readonly schemasByGuid = new Map<string, StoredSchema>();
  readonly subjects = new Map<string, StoredSubject>();
  /** Set by every change, so an operation that changed nothing writes nothing. */
  dirty = false;

  /** Reads a state written by {@link toJson}; `source` names the file in errors. */
  static fromJson(text: string, source: string): RegistryState {
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
    const state = new RegistryState();
    state.nextId = nextId;
    state.nextGlobalId = nextGlobalId;
    state.compatibility = compatibility;
    // The file is only written by this class; its entries are trusted once the envelope checks out.
    for (const schema of schemas as StoredSchema[]) {
      state.schemas.set(schema.id, schema);
      state.schemasByGuid.set(schema.guid, schema);
    }
    for (const subject of subjects as StoredSubject[]) {
      state.subjects.set(subject.name, {
        name: subject.name,
        compatibility: subject.compatibility,
        versions: subject.versions,
      });
    }
    return state;
  }

  /** The JSON document {@link fromJson} reads back. */
  toJson(): string {
    return `${JSON.stringify(
      {
        format: STATE_FORMAT,
        nextId: this.nextId,
        nextGlobalId: this.nextGlobalId,
        compatibility: this.compatibility,
        schemas: [...this.schemas.values()],
        subjects: [...this.subjects.values()],
      },
      null,
      2,
    )}\n`;
  }

  /** Stores a new schema content under the next id. */
  addSchema(content: Omit<StoredSchema, 'id'>): StoredSchema {
    const stored: StoredSchema = { id: this.nextId++, ...content };
    this.schemas.set(stored.id, stored);
    this.schemasByGuid.set(stored.guid, stored);
    this.dirty = true;
    return stored;
  }

  /** Appends a version holding schema `id` to `subject`, creating the subject when needed. */
  addVersion(subject: string, id: number): StoredVersion {
    const entry = this.subjectEntry(subject);
    const last = entry.versions.at(-1);
    const version: StoredVersion = {
      version: (last?.version ?? 0) + 1,
      id,
      globalId: this.nextGlobalId++,
      deleted: false,
    };
    entry.versions.push(version);
    this.dirty = true;
    return version;
  }

  /** The entry of `subject`, created empty when there is none (to hold a compatibility level). */
  subjectEntry(subject: string): StoredSubject {
    let entry = this.subjects.get(subject);
    if (entry === undefined) {
      entry = { name: subject, compatibility: undefined, versions: [] };
      this.subjects.set(subject, entry);
      this.dirty = true;
    }
    return entry;
  }

  /** Drops the entry of `subject` when it holds nothing any more. */
  pruneSubject(subject: string): void {
    const entry = this.subjects.get(subject);
    if (entry !== undefined && entry.versions.length === 0 && entry.compatibility === undefined) {
      this.subjects.delete(subject);
      this.dirty = true;
    }
  }
}

/** The live versions of a subject, oldest first. */
export function liveVersions(subject: StoredSubject | undefined): StoredVersion[] {
  return subject === undefined ? [] : subject.versions.filter((version) => !version.deleted);
}

function corrupt(source: string, detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.RegistryError,
    `cannot read registry state: ${JSON.stringify(source)}: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
