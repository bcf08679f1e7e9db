import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import { messageOf } from './error-text.js';
import { RegistryState } from './registry-state.js';

/** The name of the state file inside the registry folder. */
export const STATE_FILE_NAME = 'registry.json';

/** A lock older than this was left by a process that died while holding it. */
const STALE_LOCK_MS = 30_000;
/** Waiting longer than a stale lock takes to expire means something other than a crash holds it. */
const LOCK_WAIT_MS = STALE_LOCK_MS + 5_000;

/**
 * The embedded registry's state in one JSON file of a folder that several processes may share: writes
 * happen under an exclusive lock file and replace the file atomically (temp file, fsync, rename), so a
 * reader sees the old state or the new one, never half of one.
 */
export class StateFile {
  readonly dir: string;
  readonly path: string;
  readonly #lockPath: string;
  #ready: Promise<void> | undefined;
  // What the file looked like when last read or written; a rename gives a new inode, so a write from
  // another process is seen even when it kept the size and landed within the same mtime tick.
  #signature: string | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, STATE_FILE_NAME);
    this.#lockPath = `${this.path}.lock`;
  }

  /**
   * The state on disk when it changed since this object last read or wrote it, else undefined. A
   * missing file is an empty registry.
   */
  async readIfChanged(): Promise<RegistryState | undefined> {
    await this.#ensureDir();
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw fileError('read', this.path, error);
      if (this.#signature === 'missing') return undefined;
      this.#signature = 'missing';
      return new RegistryState();
    }
    try {
      // Stat and read through one handle, so the signature belongs to the bytes read.
      const signature = signatureOf(await handle.stat());
      if (signature === this.#signature) return undefined;
      const state = RegistryState.fromJson(await handle.readFile('utf8'), this.path);
      this.#signature = signature;
      return state;
    } catch (error) {
      throw isSchemaWireError(error) ? error : fileError('read', this.path, error);
    } finally {
      await handle.close();
    }
  }

  /** Replaces the file with `state`, crash-safe; call it while holding the lock. */
  async write(state: RegistryState): Promise<void> {
    await this.#ensureDir();
    const temp = join(this.dir, `.${STATE_FILE_NAME}.${process.pid}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(state.toJson(), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.#signature = undefined;
      throw fileError('write', this.path, error);
    }
    await syncDir(this.dir);
    this.#signature = signatureOf(await stat(this.path));
  }

  /** Makes the next {@link readIfChanged} read the file even when it looks unchanged. */
  forget(): void {
    this.#signature = undefined;
  }

  /** Runs `task` holding the folder's exclusive lock file. */
  async withLock<T>(task: () => Promise<T>): Promise<T> {
    await this.#ensureDir();
    await this.#lock();
    try {
      return await task();
    } finally {
      await unlink(this.#lockPath).catch(() => undefined);
    }
  }

  async #lock(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(this.#lockPath, 'wx');
        await handle.writeFile(`${process.pid}\n`, 'utf8').finally(() => handle.close());
        return;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw fileError('lock', this.#lockPath, error);
      }
      const held = await stat(this.#lockPath).catch(() => undefined);
      if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        await unlink(this.#lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new SchemaWireError(
          ErrorCode.RegistryUnavailable,
          `cannot lock registry: ${JSON.stringify(this.#lockPath)} is held by another process`,
        );
      }
      await sleep(5 + Math.random() * 20);
    }
  }

  #ensureDir(): Promise<void> {
    this.#ready ??= mkdir(this.dir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw fileError('create', this.dir, error);
      },
    );
    return this.#ready;
  }
}

function signatureOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

// The rename is only durable once the folder's entry is on disk; some platforms cannot open a folder
// for syncing, and there the rename alone is the best on offer.
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // See above: not supported here.
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function fileError(verb: string, path: string, cause: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.RegistryError,
    `cannot ${verb} registry file: ${JSON.stringify(path)}: ${messageOf(cause)}`,
    { cause },
  );
}
