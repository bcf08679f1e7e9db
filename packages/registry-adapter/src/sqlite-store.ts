import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { CompatibilityLevel, SchemaReference, SchemaType } from '@schemawire/core-client';
import { ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import type { LegacyState } from './legacy-state.js';
import { readLegacyState, retireLegacyFiles } from './legacy-state.js';
import type { StoredSchema, StoredSubject, StoredVersion } from './registry-records.js';
import { beginImmediate, openDatabase, rollback, storeError, userVersion } from './sqlite-connection.js';

// The database file the embedded registry keeps in its folder.
const DATABASE_FILE = 'registry.db';

// The user_version of a database whose tables exist and into which the folder's legacy state file, if it
// had one, was imported: both happen in the one transaction that sets it, so neither runs twice.
const STORE_VERSION = 1;

// AUTOINCREMENT, so an id, a globalId or a subject's place in the order is never given out twice, even
// after the row holding it was deleted. Subjects are ordered by creation, as Confluent lists them.
const TABLES = `
  CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE schemas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    schema_type TEXT NOT NULL,
    schema TEXT NOT NULL
  );
  CREATE TABLE schema_references (
    schema_id INTEGER NOT NULL REFERENCES schemas (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (schema_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX schema_references_by_target ON schema_references (subject, version);
  CREATE TABLE subjects (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    compatibility TEXT
  );
  CREATE TABLE versions (
    global_id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL REFERENCES subjects (name),
    version INTEGER NOT NULL,
    schema_id INTEGER NOT NULL REFERENCES schemas (id),
    deleted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (subject, version)
  );
  CREATE INDEX versions_by_schema ON versions (schema_id);
`;

interface SchemaRow {
  readonly id: number;
  readonly guid: string;
  readonly schema_type: string;
  readonly schema: string;
}

interface ReferenceRow extends SchemaReference {
  readonly schema_id: number;
}

interface VersionRow {
  readonly subject: string;
  readonly version: number;
  readonly schema_id: number;
  readonly global_id: number;
  readonly deleted: number;
}

/** A subject version with the subject it belongs to. */
export interface SubjectVersionRecord {
  readonly subject: string;
  readonly version: StoredVersion;
}

/**
 * The embedded registry's store: a SQLite database in WAL mode, in a folder that several processes may
 * share, or in memory. Every operation is one transaction; writers start theirs with BEGIN IMMEDIATE, so
 * the ids they read and the rows they insert are one atomic step across processes, and a writer killed
 * in the middle leaves nothing behind that the next one must clean up. Readers see one snapshot.
 */
export class SqliteStore {
  readonly #dir: string | undefined;
  readonly #path: string;
  #db: DatabaseSync | undefined;
  readonly #statements = new Map<string, StatementSync>();
  // Schema rows are never changed nor deleted once committed, so each is read once per process: ids up
  // to #scannedUpTo are all here, in id order (the order #findContent relies on); others are read when
  // asked for, and kept by the next scan.
  readonly #schemas = new Map<number, StoredSchema>();
  #scannedUpTo = 0;

  /** A store in `dir` (created when missing), or in memory without one. */
  constructor(dir?: string) {
    this.#dir = dir;
    this.#path = dir === undefined ? ':memory:' : join(dir, DATABASE_FILE);
  }

  /** Runs `operation` in a read transaction: everything it reads is one snapshot. */
  read<T>(operation: () => T): T {
    return this.#transaction((db) => db.exec('BEGIN'), 'read', operation);
  }

  /** Runs `operation` in a write transaction: all of its changes land, or none. */
  write<T>(operation: () => T): T {
    return this.#transaction(beginImmediate, 'write', operation);
  }

  /** The subject `name` with its versions, oldest first; undefined when it has no entry. */
  subject(name: string): StoredSubject | undefined {
    const row = this.#get<{ compatibility: CompatibilityLevel | null }>(
      'SELECT compatibility FROM subjects WHERE name = ?',
      name,
    );
    if (row === undefined) return undefined;
    const versions = this.#all<VersionRow>(
      'SELECT * FROM versions WHERE subject = ? ORDER BY version',
      name,
    ).map(versionOf);
    return { name, compatibility: row.compatibility ?? undefined, versions };
  }

  /** Version `version` of `subject`, live or soft-deleted. */
  version(subject: string, version: number): StoredVersion | undefined {
    const row = this.#get<VersionRow>(
      'SELECT * FROM versions WHERE subject = ? AND version = ?',
      subject,
      version,
    );
    return row === undefined ? undefined : versionOf(row);
  }

  /** The subject version with this globalId. */
  versionByGlobalId(globalId: number): SubjectVersionRecord | undefined {
    const row = this.#get<VersionRow>('SELECT * FROM versions WHERE global_id = ?', globalId);
    return row === undefined ? undefined : { subject: row.subject, version: versionOf(row) };
  }

  /** Every subject version (live or soft-deleted) holding schema `id`, in subject order. */
  holders(id: number): SubjectVersionRecord[] {
    return this.#all<VersionRow>(
      `SELECT v.* FROM versions v JOIN subjects s ON s.name = v.subject
       WHERE v.schema_id = ? ORDER BY s.position, v.version`,
      id,
    ).map((row) => ({ subject: row.subject, version: versionOf(row) }));
  }

  /** The subjects holding live versions, or with `deleted` any version, in the order they were created. */
  subjectNames(deleted: boolean): string[] {
    return this.#all<{ name: string }>(
      `SELECT name FROM subjects s
       WHERE EXISTS (SELECT 1 FROM versions v WHERE v.subject = s.name AND (? OR v.deleted = 0))
       ORDER BY position`,
      deleted ? 1 : 0,
    ).map((row) => row.name);
  }

  /** The schema content with id `id`. */
  schema(id: number): StoredSchema | undefined {
    const cached = this.#schemas.get(id);
    if (cached !== undefined) return cached;
    const row = this.#get<SchemaRow>('SELECT * FROM schemas WHERE id = ?', id);
    if (row === undefined) return undefined;
    const references = this.#all<ReferenceRow>(
      'SELECT * FROM schema_references WHERE schema_id = ? ORDER BY position',
      id,
    );
    return schemaOf(row, references);
  }

  /** The schema content with this guid. */
  schemaByGuid(guid: string): StoredSchema | undefined {
    const row = this.#get<{ id: number }>('SELECT id FROM schemas WHERE guid = ?', guid);
    return row === undefined ? undefined : this.schema(row.id);
  }

  /** Every schema content, oldest first. */
  schemas(): IterableIterator<StoredSchema> {
    const rows = this.#all<SchemaRow>('SELECT * FROM schemas WHERE id > ? ORDER BY id', this.#scannedUpTo);
    if (rows.length > 0) {
      const references = new Map<number, ReferenceRow[]>();
      for (const reference of this.#all<ReferenceRow>(
        'SELECT * FROM schema_references WHERE schema_id > ? ORDER BY schema_id, position',
        this.#scannedUpTo,
      )) {
        references.set(reference.schema_id, [...(references.get(reference.schema_id) ?? []), reference]);
      }
      for (const row of rows) this.#schemas.set(row.id, schemaOf(row, references.get(row.id) ?? []));
      this.#scannedUpTo = rows.at(-1)!.id;
    }
    return this.#schemas.values();
  }

  /** The global compatibility level, when one was set. */
  compatibility(): CompatibilityLevel | undefined {
    const row = this.#get<{ value: CompatibilityLevel }>(
      "SELECT value FROM settings WHERE name = 'compatibility'",
    );
    return row?.value;
  }

  /** Sets the global compatibility level. */
  setCompatibility(level: CompatibilityLevel): void {
    this.#setting('compatibility', level);
  }

  /** Sets the level of `subject`, giving it an entry when it has none. */
  setSubjectCompatibility(subject: string, level: CompatibilityLevel): void {
    // Read first: an upsert on a table with AUTOINCREMENT writes even when it changes nothing.
    const row = this.#get<{ compatibility: string | null }>(
      'SELECT compatibility FROM subjects WHERE name = ?',
      subject,
    );
    if (row === undefined) {
      this.#run('INSERT INTO subjects (name, compatibility) VALUES (?, ?)', subject, level);
    } else if (row.compatibility !== level) {
      this.#run('UPDATE subjects SET compatibility = ? WHERE name = ?', level, subject);
    }
  }

  /** Stores a new schema content under the next id. */
  addSchema(content: Omit<StoredSchema, 'id'>): StoredSchema {
    const { lastInsertRowid } = this.#run(
      'INSERT INTO schemas (guid, schema_type, schema) VALUES (?, ?, ?)',
      content.guid,
      content.schemaType,
      content.schema,
    );
    const id = Number(lastInsertRowid);
    this.#insertReferences(id, content.references);
    return { id, ...content };
  }

  /** Appends a version holding schema `id` to `subject`, creating the subject when needed. */
  addVersion(subject: string, id: number): StoredVersion {
    this.#run('INSERT INTO subjects (name) VALUES (?) ON CONFLICT (name) DO NOTHING', subject);
    const row = this.#get<VersionRow>(
      `INSERT INTO versions (subject, version, schema_id)
       VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM versions WHERE subject = ?1), ?2)
       RETURNING *`,
      subject,
      id,
    );
    return versionOf(row!);
  }

  /** Soft-deletes versions `versions` of `subject`. */
  markDeleted(subject: string, versions: readonly number[]): void {
    for (const version of versions) {
      this.#run('UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?', subject, version);
    }
  }

  /** Removes version `version` of `subject`, and the subject's entry when nothing else holds it. */
  removeVersion(subject: string, version: number): void {
    this.#run('DELETE FROM versions WHERE subject = ? AND version = ?', subject, version);
    this.#run(
      `DELETE FROM subjects WHERE name = ?1 AND compatibility IS NULL
       AND NOT EXISTS (SELECT 1 FROM versions WHERE subject = ?1)`,
      subject,
    );
  }

  /** Removes `subject`: its versions and its entry, compatibility level included. */
  removeSubject(subject: string): void {
    this.#run('DELETE FROM versions WHERE subject = ?', subject);
    this.#run('DELETE FROM subjects WHERE name = ?', subject);
  }

  /**
   * A schema that some subject version still holds and that references one of `versions` of
   * `subject`, with the version it references; undefined when there is none.
   */
  referrer(subject: string, versions: readonly number[]): { id: number; version: number } | undefined {
    return this.#get<{ id: number; version: number }>(
      `SELECT r.schema_id AS id, r.version FROM schema_references r
       WHERE r.subject = ? AND r.version IN (SELECT value FROM json_each(?))
       AND EXISTS (SELECT 1 FROM versions v WHERE v.schema_id = r.schema_id)
       ORDER BY r.schema_id, r.position LIMIT 1`,
      subject,
      JSON.stringify(versions),
    );
  }

  #transaction<T>(begin: (db: DatabaseSync) => void, verb: string, operation: () => T): T {
    const db = this.#open();
    try {
      begin(db);
    } catch (error) {
      throw storeError(verb, this.#path, error);
    }
    try {
      const result = operation();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      // The ids a rolled-back write took are given out again, so what it cached must go too; a read
      // that failed (a subject not found) took none.
      if (verb === 'write') {
        this.#schemas.clear();
        this.#scannedUpTo = 0;
      }
      rollback(db);
      throw isSchemaWireError(error) ? error : storeError(verb, this.#path, error);
    }
  }

  #open(): DatabaseSync {
    if (this.#db !== undefined) return this.#db;
    let db: DatabaseSync | undefined;
    try {
      if (this.#dir !== undefined) mkdirSync(this.#dir, { recursive: true });
      db = openDatabase(this.#path);
      this.#db = db;
      const version = userVersion(db);
      if (version > STORE_VERSION) {
        throw new SchemaWireError(
          ErrorCode.RegistryError,
          `cannot open registry database: ${JSON.stringify(this.#path)}: it was written by a newer release (store version ${version})`,
        );
      }
      if (version < STORE_VERSION) this.#create(db);
    } catch (error) {
      this.#db = undefined;
      this.#statements.clear();
      db?.close();
      throw isSchemaWireError(error) ? error : storeError('open', this.#path, error);
    }
    return db;
  }

  // Creates the tables and imports the folder's legacy state file in one transaction, so of several
  // processes opening a new folder at once exactly one does it, and a crash leaves a folder none did.
  #create(db: DatabaseSync): void {
    let imported = false;
    db.exec('BEGIN IMMEDIATE');
    try {
      if (userVersion(db) < STORE_VERSION) {
        db.exec(TABLES);
        const legacy = this.#dir === undefined ? undefined : readLegacyState(this.#dir);
        if (legacy !== undefined) {
          this.#importLegacyState(legacy);
          imported = true;
        }
        db.exec(`PRAGMA user_version = ${STORE_VERSION}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      rollback(db);
      throw error;
    }
    if (imported) retireLegacyFiles(this.#dir!);
  }

  #importLegacyState(legacy: LegacyState): void {
    for (const schema of legacy.schemas) {
      this.#run(
        'INSERT INTO schemas (id, guid, schema_type, schema) VALUES (?, ?, ?, ?)',
        schema.id,
        schema.guid,
        schema.schemaType,
        schema.schema,
      );
      this.#insertReferences(schema.id, schema.references);
    }
    for (const subject of legacy.subjects) {
      this.#run(
        'INSERT INTO subjects (name, compatibility) VALUES (?, ?)',
        subject.name,
        subject.compatibility ?? null,
      );
      for (const version of subject.versions) {
        this.#run(
          'INSERT INTO versions (global_id, subject, version, schema_id, deleted) VALUES (?, ?, ?, ?, ?)',
          version.globalId,
          subject.name,
          version.version,
          version.id,
          version.deleted ? 1 : 0,
        );
      }
    }
    if (legacy.compatibility !== undefined) this.setCompatibility(legacy.compatibility);
    // The file's counters may be past the largest id it still holds (permanently deleted versions).
    this.#continueSequence('schemas', legacy.nextId - 1);
    this.#continueSequence('versions', legacy.nextGlobalId - 1);
  }

  #continueSequence(table: string, last: number): void {
    const row = this.#get<{ seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?', table);
    if (row !== undefined && row.seq >= last) return;
    this.#run('DELETE FROM sqlite_sequence WHERE name = ?', table);
    this.#run('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', table, last);
  }

  #insertReferences(id: number, references: readonly SchemaReference[]): void {
    references.forEach((reference, position) => {
      this.#run(
        'INSERT INTO schema_references (schema_id, position, name, subject, version) VALUES (?, ?, ?, ?, ?)',
        id,
        position,
        reference.name,
        reference.subject,
        reference.version,
      );
    });
  }

  #setting(name: string, value: string): void {
    this.#run(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value',
      name,
      value,
    );
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db!.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #get<T>(sql: string, ...values: SQLInputValue[]): T | undefined {
    return this.#statement(sql).get(...values) as T | undefined;
  }

  #all<T>(sql: string, ...values: SQLInputValue[]): T[] {
    return this.#statement(sql).all(...values) as T[];
  }

  #run(sql: string, ...values: SQLInputValue[]): { lastInsertRowid: number | bigint } {
    return this.#statement(sql).run(...values);
  }
}

function schemaOf(row: SchemaRow, references: readonly ReferenceRow[]): StoredSchema {
  return {
    id: row.id,
    guid: row.guid,
    schemaType: row.schema_type as SchemaType,
    schema: row.schema,
    references: references.map(({ name, subject, version }) => ({ name, subject, version })),
  };
}

function versionOf(row: VersionRow): StoredVersion {
  return { version: row.version, id: row.schema_id, globalId: row.global_id, deleted: row.deleted !== 0 };
}
