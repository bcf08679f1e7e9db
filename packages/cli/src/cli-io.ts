import type { Readable, Writable } from 'node:stream';

/** What the command line reads and writes, so it runs the same embedded in a process or in tests. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (schema files, the embedded registry) start from. */
  readonly cwd: string;
}

/** Writes `text` and a newline. */
export function writeLine(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}
