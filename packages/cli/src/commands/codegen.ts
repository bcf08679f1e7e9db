import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { generateTypes, readSchemaFiles } from '@schemawire/codegen';
import { longsModes } from '@schemawire/core-client';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { oneOf, parseCommandArgs, UsageError } from '../command.js';

const options = {
  out: { type: 'string' },
  longs: { type: 'string' },
  'field-names': { type: 'string' },
} as const;

/** `schemawire codegen`: TypeScript types and schema handles from schema files. */
export const codegenCommand: Command = {
  name: 'codegen',
  summary: 'generate TypeScript types and schema handles from schema files',
  help: `Usage: schemawire codegen <file or folder>... --out <dir> [--longs number-or-bigint|bigint|string] [--field-names json|proto]

Writes one TypeScript module per schema file (.avsc, .proto, .json; folders are searched), at the
file's path below --out with the extension .ts: the types of the values its codec decodes and takes,
and a schema handle per top-level type, for typed serializers, deserializers and Kafka clients. Prints
the path of each module written.

Options:
  --out <dir>             folder to write the modules to (required)
  --longs <mode>          the formats' longs option the values are decoded with (default: each
                          format's own: number-or-bigint for Avro and JSON Schema, string for Protobuf)
  --field-names <names>   Protobuf keys: json (default) or proto, the formats' fieldNames option

Example:
  schemawire codegen schemas --out src/schemas`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (positionals.length === 0) throw new UsageError('cannot generate types: give schema files or folders');
  if (values.out === undefined) throw new UsageError('cannot generate types: --out is required');
  const longs = values.longs === undefined ? undefined : oneOf('longs', values.longs, longsModes);
  const fieldNames =
    values['field-names'] === undefined
      ? undefined
      : oneOf('field-names', values['field-names'], ['json', 'proto']);
  const files = await readSchemaFiles(positionals, io.cwd);
  const modules = generateTypes(files, {
    ...(longs === undefined ? {} : { longs }),
    ...(fieldNames === undefined ? {} : { fieldNames }),
  });
  const out = resolve(io.cwd, values.out);
  for (const module of modules) {
    const path = join(out, module.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, module.text);
    writeLine(io.stdout, join(values.out, module.path));
  }
  return 0;
}
