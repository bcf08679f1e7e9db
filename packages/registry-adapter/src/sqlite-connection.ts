import type { DatabaseSync } from 'node:sqlite';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { messageOf } from './error-text.js';
import { nodeSqlite } from './node-sqlite.js';

// A transaction here takes milliseconds; waiting this long means a process is stuck inside one, and the
// caller gets an error it can retry rather than a hang.
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens the database file at `path` (or ':memory:') for the registry: waiting for other processes'
 * transactions rather than failing, in WAL mode, syncing every commit.
 */
export function openDatabase(path: string): DatabaseSync {
  const { DatabaseSync } = nodeSqlite();
  const db = new DatabaseSync(path);
  try {
    // Set before anything else touches the file: every statement after it waits for other writers.
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers go on while one process writes; FULL syncs every commit, so an id printed is
    // an id kept, even across a power loss.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The database's user_version: which version of the registry's tables it holds, 0 for none. */
export function userVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
}

// Nothing ever notifies it: Atomics.wait on it is a synchronous sleep.
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Starts a write transaction, holding the database's write lock until it ends. SQLite's own busy
 * handler sleeps up to 100 ms between tries, so while other processes write back to back a waiter keeps
 * waking when the lock is taken again, and can wait for seconds; trying every millisecond or two, at
 * random moments, gives each waiter its turn.
 */
export function beginImmediate(db: DatabaseSync): void {
  db.exec('PRAGMA busy_timeout = 0');
  try {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
      }
      Atomics.wait(pause, 0, 0, 0.5 + Math.random() * 2);
    }
  } finally {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

// SQLITE_BUSY and SQLITE_LOCKED, of any extended kind: another connection holds what this one needs.
function isBusy(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  // SQLITE_BUSY (5) or SQLITE_LOCKED (6); the message too, for a Node whose errors carry no errcode.
  const { errcode, message } = cause as { errcode?: unknown; message?: unknown };
  if (typeof errcode === 'number') return (errcode & 0xff) === 5 || (errcode & 0xff) === 6;
  return typeof message === 'string' && /database (table )?is (locked|busy)/.test(message);
}

/** Ends the transaction under way without its changes. */
export function rollback(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // SQLite already rolled the transaction back (it does on some errors): nothing is left to undo.
  }
}

/** A failure of the database at `path`: RegistryUnavailable when another process held it too long. */
export function storeError(verb: string, path: string, cause: unknown): SchemaWireError {
  return new SchemaWireError(
    isBusy(cause) ? ErrorCode.RegistryUnavailable : ErrorCode.RegistryError,
    `cannot ${verb} registry database: ${JSON.stringify(path)}: ${messageOf(cause)}`,
    { cause },
  );
}
