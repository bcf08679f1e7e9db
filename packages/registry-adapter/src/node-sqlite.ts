import type * as NodeSqlite from 'node:sqlite';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

let loaded: typeof NodeSqlite | undefined;

/**
 * Node's built-in SQLite module, loaded on first use. Node 22 prints an ExperimentalWarning for it
 * (Node 24 does not); SQLite is how the embedded registry stores its folder, not something the user of
 * the library or the CLI chose, so that one warning is dropped while the module loads, and every other
 * warning still passes.
 */
export function nodeSqlite(): typeof NodeSqlite {
  if (loaded !== undefined) return loaded;
  const emitWarning = process.emitWarning;
  // Node emits the warning synchronously while it loads the module, through process.emitWarning.
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!isSqliteWarning(warning, rest[0])) {
      (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
    }
  }) as typeof process.emitWarning;
  try {
    loaded = process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
  if (loaded === undefined) {
    throw new SchemaWireError(
      ErrorCode.Unsupported,
      `cannot open registry database: node:sqlite is not available in Node ${process.version}; use Node 22.13 or later`,
    );
  }
  return loaded;
}

function isSqliteWarning(warning: string | Error, options: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof options === 'string'
      ? options
      : typeof options === 'object' && options !== null && 'type' in options
        ? options.type
        : typeof warning === 'string'
          ? undefined
          : warning.name;
  return type === 'ExperimentalWarning' && message.startsWith('SQLite ');
}
